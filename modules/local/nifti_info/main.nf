// Describes one NIfTI volume (grid, RAS affine, value range) as JSON: a cheap first look at every input.
process NIFTI_INFO {
    tag "${volume.simpleName}"
    label 'process_single'
    publishDir "${params.outdir}/nifti_info", mode: 'copy', pattern: '*.json'

    input:
    path volume

    output:
    path "${volume.simpleName}.json", emit: json
    path 'versions.yml',              emit: versions

    script:
    """
    deepstroke nifti-info --input ${volume} --output ${volume.simpleName}.json
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    echo '{}' > ${volume.simpleName}.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
