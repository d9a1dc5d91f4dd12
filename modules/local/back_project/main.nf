// The ASPECTS atlas onto one native CT grid through the inverse registration (GenericLabel), restricted to the
// native brain mask: uint8 ids 0..20. With an overlay refinement warp (REFINE_OVERLAY), it is appended to the chain.
//
// input : tuple val(meta), path(ct), path(mask), path(affine), path(inverse_warp), path(refine_warp)
//           refine_warp: REFINE_OVERLAY's <s>_overlay_0Warp.nii.gz, or [] (none)
//         path atlas_labels   ATLAS' aspects_labels.nii.gz
// output: labels   tuple val(meta), path("<s>_labels.nii.gz")
//         stats    tuple val(meta), path("<s>_labels.json")
//         png      path "<s>_labels_qc.png"
//         versions path 'versions.yml'
process BACK_PROJECT {
    tag "${meta.subject}"
    label 'process_single'
    label 'ants'
    label 'per_subject'
    cache 'deep'

    input:
    tuple val(meta), path(ct), path(mask), path(affine), path(inverse_warp), path(refine_warp)
    path atlas_labels

    output:
    tuple val(meta), path("${meta.subject}_labels.nii.gz"), emit: labels
    tuple val(meta), path("${meta.subject}_labels.json"),   emit: stats
    path "${meta.subject}_labels_qc.png",                   emit: png
    path 'versions.yml',                                    emit: versions

    script:
    def refine = refine_warp ? "--transform ${refine_warp}" : ''
    """
    deepstroke back-project \\
        --labels ${atlas_labels} \\
        --reference ${ct} \\
        --mask ${mask} \\
        --transform '[${affine},1]' \\
        --transform ${inverse_warp} \\
        ${refine} \\
        --output ${meta.subject}_labels.nii.gz \\
        --stats ${meta.subject}_labels.json \\
        --qc-png ${meta.subject}_labels_qc.png \\
        --threads ${task.cpus}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${meta.subject}_labels.nii.gz ${meta.subject}_labels_qc.png
    echo '{}' > ${meta.subject}_labels.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
