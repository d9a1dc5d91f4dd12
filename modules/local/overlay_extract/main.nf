// Extracts every DICOM overlay plane (60xx) of a series into one binary mask on the CT's grid: the series' own grid
// (the same geometry code as DICOM_TO_NIFTI) or, for a derived overlay copy, the grid of the CT it belongs to
// (reference NIfTI), plus per-slice counts and a report of skipped groups.
process OVERLAY_EXTRACT {
    tag "${meta.series}"
    label 'process_single'
    label 'per_subject'

    input:
    tuple val(meta), val(file_list), val(root_ids), path(roots, stageAs: 'fs?'), path(reference)
    path rules

    output:
    tuple val(meta), path("${meta.series}_overlay.nii.gz"), path("${meta.series}_overlay_counts.tsv"), emit: mask
    path "${meta.series}_overlay_report.json", emit: report
    path 'versions.yml', emit: versions

    script:
    def inputs  = [root_ids, roots instanceof List ? roots : [roots]].transpose().collect { id, r -> "${id}=${r}" }.join(',')
    def ref_opt = reference ? "--reference ${reference}" : ''
    """
    cat > series.files <<'DEEPSTROKE_SERIES_FILES'
${file_list}DEEPSTROKE_SERIES_FILES
    deepstroke overlay-extract --files series.files --root ${inputs} --rules ${rules} ${ref_opt} \\
        --output ${meta.series}_overlay.nii.gz --counts ${meta.series}_overlay_counts.tsv \\
        --report ${meta.series}_overlay_report.json
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${meta.series}_overlay.nii.gz
    printf 'slice\\tvoxels\\n' > ${meta.series}_overlay_counts.tsv
    echo '{}' > ${meta.series}_overlay_report.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
