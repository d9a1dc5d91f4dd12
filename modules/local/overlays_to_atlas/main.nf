// Carries one subject's legacy overlay (a sparse binary outline on the native CT grid) into atlas space by mapping
// its POINTS through the first registration (antsApplyTransformsToPoints), then counting them into the atlas grid.
// Resampling the sparse mask itself with linear interpolation would lose most outline pixels (see
// org.deepstroke.registration.overlay.OverlayPoints); points keep every one.
//
// input : tuple val(meta), path(overlay), path(affine), path(inverse_warp)
//           meta.subject (pseudonym) required; overlay = <series>_overlay.nii.gz (native grid);
//           affine = REGISTER's <prefix>0GenericAffine.mat, inverse_warp = <prefix>1InverseWarp.nii.gz
//         path reference   the atlas CT template (REGISTER's --fixed)
// output: overlay  tuple val(meta), path("<subject>_overlay_atlas.nii.gz")   uint8, 1 where a point landed
//         points   tuple val(meta), path("<subject>_overlay_points.tsv")     native and atlas RAS positions
//         json     path "<subject>_overlay_atlas.json"                       points in / outside / voxels hit
//         versions path 'versions.yml'
process OVERLAYS_TO_ATLAS {
    tag "${meta.subject}"
    label 'process_single'
    label 'ants'
    label 'per_subject'

    input:
    tuple val(meta), path(overlay), path(affine), path(inverse_warp)
    path reference

    output:
    tuple val(meta), path("${meta.subject}_overlay_atlas.nii.gz"), emit: overlay
    tuple val(meta), path("${meta.subject}_overlay_points.tsv"),   emit: points
    path "${meta.subject}_overlay_atlas.json",                     emit: json
    path 'versions.yml',                                           emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    deepstroke overlay-to-atlas \\
        --overlay ${overlay} \\
        --reference ${reference} \\
        --transform '[${affine},1]' \\
        --transform ${inverse_warp} \\
        --output ${meta.subject}_overlay_atlas.nii.gz \\
        --points ${meta.subject}_overlay_points.tsv \\
        --json ${meta.subject}_overlay_atlas.json \\
        --threads ${task.cpus} \\
        ${args} > /dev/null
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${meta.subject}_overlay_atlas.nii.gz ${meta.subject}_overlay_points.tsv
    echo '{}' > ${meta.subject}_overlay_atlas.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
