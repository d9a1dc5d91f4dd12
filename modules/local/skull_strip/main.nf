// Brain extraction of one native CT by HU-window morphology: brain mask (uint8) + skull-stripped CT + statistics.
//
// input : tuple val(meta), path(ct)      meta.subject (pseudonym); ct = INGEST's NIfTI in HU
// output: stripped tuple val(meta), path("<subject>_brain_mask.nii.gz"), path("<subject>_stripped.nii.gz")
//         stats    tuple val(meta), path("<subject>_strip.json")
//         versions path 'versions.yml'
// Per-process cache is 'deep' (content): an upstream rerun that writes identical files (e.g. INGEST after a new
// subject joined the cohort) does not rerun this subject's chain.
process SKULL_STRIP {
    tag "${meta.subject}"
    label 'process_single'
    label 'per_subject'
    cache 'deep'

    input:
    tuple val(meta), path(ct)

    output:
    tuple val(meta), path("${meta.subject}_brain_mask.nii.gz"), path("${meta.subject}_stripped.nii.gz"), emit: stripped
    tuple val(meta), path("${meta.subject}_strip.json"),                                               emit: stats
    path 'versions.yml',                                                                               emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    deepstroke skull-strip \\
        --input ${ct} \\
        --mask ${meta.subject}_brain_mask.nii.gz \\
        --stripped ${meta.subject}_stripped.nii.gz \\
        --stats ${meta.subject}_strip.json \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${meta.subject}_brain_mask.nii.gz ${meta.subject}_stripped.nii.gz
    echo '{}' > ${meta.subject}_strip.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
