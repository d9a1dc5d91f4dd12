// Evaluates the ASPECTS scores of one labels path against the truth of a synthetic cohort (the phantom's
// cohort.tsv): score agreement, weighted kappa, ICC, ASPECTS<=7, region-level sensitivity/specificity, published
// figures beside ours; HTML + PNG + TSV/JSON under ${params.outdir}/aspects/<path>/.
// <path>_metrics.tsv (metric, value) is the form for MLflow: tracking_uri is passed in so that the MLflow logging
// of i6-track (`deepstroke mlflow-log ... --metrics-tsv <path>_metrics.tsv`) can be added to this script.
process ASPECTS_EVALUATE {
    tag "${path_name}"
    label 'process_single'

    input:
    tuple val(path_name), path(scores, stageAs: 'scores/*'), path(truth)
    val tracking_uri        // '' = none (MLflow logging is added by the tracking stage)

    output:
    tuple val(path_name), path("${path_name}_evaluation.json"), emit: json
    tuple val(path_name), path("${path_name}_metrics.tsv"),     emit: metrics
    path "${path_name}_evaluation.tsv",                          emit: tsv
    path "${path_name}_subjects.tsv",                            emit: subjects
    path "${path_name}_evaluation.html",                         emit: html
    path "${path_name}_evaluation_qc.png",                       emit: png
    path 'versions.yml',                                         emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    deepstroke aspects-evaluate \\
        --scores scores \\
        --truth ${truth} \\
        --path ${path_name} \\
        --output-dir . \\
        ${args}
    # metric<TAB>value, metric = <method>.<name>, for MLflow (tracking_uri: '${tracking_uri}')
    awk -F'\\t' 'NR == 1 { print "metric\\tvalue"; next } \$4 != "NA" { print \$2 "." \$3 "\\t" \$4 }' \\
        ${path_name}_evaluation.tsv > ${path_name}_metrics.tsv
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    echo '{}' > ${path_name}_evaluation.json
    printf 'metric\\tvalue\\n' > ${path_name}_metrics.tsv
    touch ${path_name}_evaluation.tsv ${path_name}_subjects.tsv ${path_name}_evaluation.html ${path_name}_evaluation_qc.png
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
