// Lesion maps of one lesion path against the truth lesion masks (synthetic cohort): lesion Dice on the truth's grid,
// volume error in ml (signed, absolute), per-subject detection sensitivity/specificity (positive = any lesion
// voxel). <path>_lesion_metrics.tsv (metric, value) is the form MLFLOW_LOG takes; published under
// ${params.outdir}/aspects/<path>/.
process EVALUATE_LESIONS {
    tag "${path_name}"
    label 'process_single'

    input:
    tuple val(path_name), val(subjects), path(predicted, stageAs: 'predicted/?/*'), path(truth, stageAs: 'truth/?/*')

    output:
    tuple val(path_name), path("${path_name}_lesion_evaluation.json"), emit: json
    tuple val(path_name), path("${path_name}_lesion_metrics.tsv"),     emit: metrics
    path "${path_name}_lesion_subjects.tsv",                            emit: subjects
    path 'versions.yml',                                                emit: versions

    script:
    def args = task.ext.args ?: ''
    def ids = subjects instanceof List ? subjects : [subjects]
    def preds = predicted instanceof List ? predicted : [predicted]
    def truths = truth instanceof List ? truth : [truth]
    def rows = (0..<ids.size()).collect { i -> "${ids[i]}\t${preds[i]}\t${truths[i]}" }.join('\n')
    """
    printf 'subject\\tpredicted\\ttruth\\n' > pairs.tsv
    cat >> pairs.tsv <<'DEEPSTROKE_ROWS'
${rows}
DEEPSTROKE_ROWS
    deepstroke evaluate-lesions \\
        --pairs pairs.tsv \\
        --name ${path_name} \\
        --output-dir . \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    echo '{}' > ${path_name}_lesion_evaluation.json
    printf 'metric\\tvalue\\n' > ${path_name}_lesion_metrics.tsv
    touch ${path_name}_lesion_subjects.tsv
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
