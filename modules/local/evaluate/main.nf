// Evaluates the test-split predictions: per subject and class Dice, HD95 and volume difference against the
// dataset's reference labels and (synthetic cohort) the generator's truth; evaluation.tsv/json, curves, montages
// (<subject>/<subject>_qc.png) and report.html.
process EVALUATE {
    tag "${dataset.name}"
    label 'process_low'
    label 'dl4j'

    input:
    path predictions, stageAs: 'predictions/*'
    path dataset
    path training
    path truth          // results/phantom/truth layout, or []

    output:
    path 'evaluation.tsv',   emit: tsv
    path 'evaluation.json',  emit: json
    path 'report.html',      emit: html
    path '*.png',            emit: curves, optional: true
    path 'sub-*',            emit: montages
    path 'versions.yml',     emit: versions

    script:
    def args = task.ext.args ?: ''   // --variant and --classes of the training (conf/modules.config)
    def truthArg = truth ? "--truth-dir ${truth}" : ''
    """
    deepstroke unet-evaluate \\
        --predictions predictions \\
        --dataset ${dataset} \\
        --training-dir ${training} \\
        ${truthArg} \\
        --output-dir . ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch evaluation.tsv report.html
    echo '{}' > evaluation.json
    mkdir -p sub-stub
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
