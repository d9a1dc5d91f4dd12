// All atlas-space overlays -> the mean overlay template (fraction of subjects whose outline passes through each
// voxel), the per-voxel number of overlays, a QC picture and aggregate.json. Cohort level: reruns when any overlay
// changes.
//
// input : path(overlays)   every OVERLAYS_TO_ATLAS.out.overlay file, collected (e.g. .map { it[1] }.collect())
//         path reference   the atlas CT template
// output: mean   path 'mean_overlay.nii.gz'     float32
//         count  path 'overlay_count.nii.gz'    uint16
//         png    path 'aggregate_qc.png'
//         json   path 'aggregate.json'
//         versions path 'versions.yml'
process AGGREGATE_OVERLAYS {
    label 'process_single'

    input:
    path overlays, stageAs: 'in/*'
    path reference

    output:
    path 'mean_overlay.nii.gz',  emit: mean
    path 'overlay_count.nii.gz', emit: count
    path 'aggregate_qc.png',     emit: png
    path 'aggregate.json',       emit: json
    path 'versions.yml',         emit: versions

    script:
    def files = (overlays instanceof List ? overlays : [overlays]).collect { it.toString() }.sort().join(' ')
    """
    deepstroke aggregate-overlays --overlays ${files} --reference ${reference} --output-dir . > /dev/null
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch mean_overlay.nii.gz overlay_count.nii.gz aggregate_qc.png
    echo '{}' > aggregate.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
