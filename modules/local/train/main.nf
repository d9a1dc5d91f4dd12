// Trains the 3D U-Net (DL4J) on a curated dataset: best model (model.zip), checkpoint/ (resumable), history.tsv,
// loss/Dice curves, train.json, split.tsv; MLflow run through TrackedRun (spooled under training/mlflow-spool when
// no tracking URI is set or the server is away). CPU by default; params.unet_gpu moves it to the process_gpu label
// (needs tools built with the cuda profile, see java-tools/unet/README.md) and trains one data-parallel replica per
// requested GPU (params.gpus).
process TRAIN {
    tag "${dataset.name}"
    label params.unet_gpu ? 'process_gpu' : 'process_medium'
    publishDir "${params.outdir}", mode: 'copy', saveAs: { it == 'versions.yml' ? null : it }

    input:
    path dataset

    output:
    path 'training',             emit: dir
    path 'training/model.zip',   emit: model
    path 'training/history.tsv', emit: history
    path 'versions.yml',         emit: versions

    script:
    def args = task.ext.args ?: ''
    def workers = params.unet_gpu ? params.gpus : 1
    // The tracking URI, experiment, git commit and Nextflow run name/session id reach the tool as environment
    // variables (nextflow.config: env scope and beforeScript), which are not part of the task hash: a new server
    // port or run name must not make -resume train again.
    """
    deepstroke train \\
        --dataset ${dataset} \\
        --output-dir training \\
        --variant ${params.unet_variant} \\
        --classes ${params.unet_classes} \\
        --volume-size ${params.unet_volume_size} \\
        --base-channels ${params.unet_base_channels} \\
        --depth ${params.unet_depth} \\
        --dropout ${params.unet_dropout} \\
        --epochs ${params.unet_epochs} \\
        --patience ${params.unet_patience} \\
        --learning-rate ${params.unet_learning_rate} \\
        --max-minutes ${params.unet_max_minutes} \\
        --seed ${params.unet_seed} \\
        --workers ${workers} \\
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
