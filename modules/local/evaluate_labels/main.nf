// Back-projected labels vs the synthetic cohort's truth: Dice, HD95 and volumes per subject and region
// (label_dice.tsv), per-region mean/min and the quality bars (label_dice.json), a bar chart (label_dice_qc.png).
// Cohort level. Subjects without truth (real DICOM roots beside the phantom) are left out.
//
// input : tuple val(subjects), path(labels)   two equally long lists (pseudonyms, back-projected label maps)
//         path truth                          PHANTOM's truth folder (<subject>/labels.nii.gz)
//         path labels_tsv                     ATLAS' labels.tsv (region names)
// output: tsv, json, png; versions
process EVALUATE_LABELS {
    label 'process_single'

    input:
    tuple val(subjects), path(labels, stageAs: 'pred/?/*')
    path truth, stageAs: 'truth'
    path labels_tsv

    output:
    path 'label_dice.tsv',    emit: tsv
    path 'label_dice.json',   emit: json
    path 'label_dice_qc.png', emit: png
    path 'versions.yml',      emit: versions

    script:
    def ids = subjects instanceof List ? subjects : [subjects]
    def files = labels instanceof List ? labels : [labels]
    def rows = (0..<ids.size()).collect { i -> "${ids[i]}\t${files[i]}" }.join('\n')
    """
    printf 'subject\\tpredicted\\treference\\n' > pairs.tsv
    while IFS=\$'\\t' read -r subject predicted; do
        if [ -f "truth/\$subject/labels.nii.gz" ]; then
            printf '%s\\t%s\\t%s\\n' "\$subject" "\$predicted" "truth/\$subject/labels.nii.gz" >> pairs.tsv
        fi
    done <<'DEEPSTROKE_ROWS'
${rows}
DEEPSTROKE_ROWS
    deepstroke evaluate-labels \\
        --pairs pairs.tsv \\
        --labels-tsv ${labels_tsv} \\
        --output-tsv label_dice.tsv \\
        --output-json label_dice.json \\
        --output-png label_dice_qc.png
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    printf 'subject\\tlabel\\tname\\tdice\\thd95_mm\\tpredicted_ml\\treference_ml\\tdifference_ml\\n' > label_dice.tsv
    echo '{}' > label_dice.json
    touch label_dice_qc.png
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
