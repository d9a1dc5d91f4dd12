// The seed's second registration, for subjects with an overlay: SyN of the ASPECTS atlas outline onto the subject's
// atlas-space overlay (in-plane smoothed outlines, mean squares, metric masked to the drawn outline's neighbourhood).
// Switch: params.refine_with_overlays (the subworkflow decides whether to run this and to append the warp).
//
// input : tuple val(meta), path(overlay_atlas)   OVERLAYS_TO_ATLAS.out.overlay
//         path atlas_labels                      ATLAS.out.labels (aspects_labels.nii.gz, same grid)
// output: warp     tuple val(meta), path("<subject>_overlay_0Warp.nii.gz")
//                  back-project --transform chain, ANTs order (first listed = first applied to a native point):
//                  --transform '[<reg>0GenericAffine.mat,1]' --transform <reg>1InverseWarp.nii.gz
//                  --transform <subject>_overlay_0Warp.nii.gz
//         inverse  tuple val(meta), path("<subject>_overlay_0InverseWarp.nii.gz")
//         qc       tuple val(meta), path("<subject>_overlay_refine_qc.json"), path("<subject>_overlay_refine_qc.png")
//         log      path "<subject>_overlay_refine.log"
//         versions path 'versions.yml'
process REFINE_OVERLAY {
    tag "${meta.subject}"
    label 'process_low'
    label 'ants'
    label 'per_subject'

    input:
    tuple val(meta), path(overlay_atlas)
    path atlas_labels

    output:
    tuple val(meta), path("${meta.subject}_overlay_0Warp.nii.gz"),        emit: warp
    tuple val(meta), path("${meta.subject}_overlay_0InverseWarp.nii.gz"), emit: inverse
    tuple val(meta), path("${meta.subject}_overlay_refine_qc.json"), path("${meta.subject}_overlay_refine_qc.png"), emit: qc
    path "${meta.subject}_overlay_refine.log",                           emit: log
    path 'versions.yml',                                                  emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    deepstroke refine-overlay \\
        --overlay ${overlay_atlas} \\
        --atlas-labels ${atlas_labels} \\
        --output-prefix ${meta.subject}_overlay_ \\
        --threads ${task.cpus} \\
        ${args} > /dev/null
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${meta.subject}_overlay_0Warp.nii.gz ${meta.subject}_overlay_0InverseWarp.nii.gz
    touch ${meta.subject}_overlay_refine_qc.png ${meta.subject}_overlay_refine.log
    echo '{}' > ${meta.subject}_overlay_refine_qc.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
