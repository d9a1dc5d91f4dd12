// Logs one MLflow run for a pipeline stage (evaluation, scoring, ...): params, TSV tables as metrics (numeric cells;
// name column[/row keys], step from a step/epoch column), files as artifacts. Tracking URI, experiment and journal
// folder come from the environment nextflow.config sets (params.tracking_uri, params.mlflow_experiment,
// <outdir>/mlflow/spool), so a new server port does not rerun the task; without a server the run is journaled and
// `deepstroke mlflow-sync` pushes it later. task.ext.args passes further options, e.g. '--dataset dataset'
// (log into the dataset's experiment) or '--artifact-dir evaluation --tag stage=evaluate'.
process MLFLOW_LOG {
    tag "${run_name}"
    label 'process_single'

    input:
    val run_name
    val run_params                                   // a map of params (may be empty)
    path metrics_tsvs, stageAs: 'metrics/*'          // TSV tables, or []
    path artifacts,    stageAs: 'artifacts/*'        // files to store with the run, or []

    output:
    path "${run_name}_mlflow.json", emit: json
    path 'versions.yml',            emit: versions

    script:
    def args = task.ext.args ?: ''
    def paramArgs = run_params.collect { k, v -> "--param '${k}=${v}'" }.join(' ')
    def metricArgs = (metrics_tsvs instanceof List ? metrics_tsvs : [metrics_tsvs]).collect { "--metrics-tsv '${it}'" }.join(' ')
    def artifactArgs = (artifacts instanceof List ? artifacts : [artifacts]).collect { "--artifact '${it}'" }.join(' ')
    """
    deepstroke mlflow-log \\
        --run-name '${run_name}' \\
        ${paramArgs} ${metricArgs} ${artifactArgs} \\
        ${args} > ${run_name}_mlflow.json
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    echo '{}' > ${run_name}_mlflow.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
