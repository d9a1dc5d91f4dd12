// Converts one accepted series to a HU NIfTI (int16 when whole, else float32; tilt corrected onto an orthogonal
// grid, unequal spacing resampled) with a JSON sidecar free of identifiers.
process DICOM_TO_NIFTI {
    tag "${meta.series}"
    label 'process_single'
    label 'per_subject'

    input:
    tuple val(meta), val(file_list), val(root_ids), path(roots, stageAs: 'fs?')
    path rules

    output:
    tuple val(meta), path("${meta.series}.nii.gz"), path("${meta.series}.json"), emit: nifti
    path 'versions.yml', emit: versions

    script:
    def inputs = [root_ids, roots instanceof List ? roots : [roots]].transpose().collect { id, r -> "${id}=${r}" }.join(',')
    """
    cat > series.files <<'DEEPSTROKE_SERIES_FILES'
${file_list}DEEPSTROKE_SERIES_FILES
    deepstroke dicom-to-nifti --files series.files --root ${inputs} --rules ${rules} --output ${meta.series}.nii.gz
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${meta.series}.nii.gz
    echo '{}' > ${meta.series}.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
