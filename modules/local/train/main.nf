// Trains the 3D U-Net (DL4J) on a curated dataset: best model (model.zip), checkpoint/ (resumable), history.tsv,
// loss/Dice curves, train.json, split.tsv; MLflow run through TrackedRun (spooled under training/mlflow-spool when
// no tracking URI is set or the server is away). CPU by default; --unet_gpu gives the gpu_capable label GPU resources
// (needs tools built with the cuda profile, see java-tools/unet/README.md) and trains one data-parallel replica per
// requested GPU (params.gpus).
process TRAIN {
    tag "${dataset.name}"
    label 'process_medium'
    label 'gpu_capable'
    label 'dl4j'

    input:
    path dataset

    output:
    path 'training',             emit: dir
    path 'training/model.zip',   emit: model
    path 'training/history.tsv', emit: history
    path 'versions.yml',         emit: versions

    script:
    def args = task.ext.args ?: ''
    // The tracking URI, experiment, git commit and Nextflow run name/session id reach the tool as environment
    // variables (nextflow.config: env scope and beforeScript), which are not part of the task hash: a new server
    // port or run name must not make -resume train again.
    """
    deepstroke train \\
        --dataset ${dataset} \\
        --output-dir training \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    mkdir -p training
    touch training/model.zip training/history.tsv
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
