// Scores one subject from one labels path: native CT (HU) + lateralized ASPECTS label map (truth/oracle, label
// transfer, U-Net: the same ids 1..20) -> relative HU per region vs the cut-points, ASPECTS, extended descriptors,
// optionally the fitted classifier's score; published under ${params.outdir}/aspects/<path>/<subject>/.
// model may be [] (no classifier). task.ext.args passes further options, e.g. '--side R'.
process ASPECTS_SCORE {
    tag "${path_name}:${meta.subject}"
    label 'process_single'
    label 'per_subject'

    input:
    tuple val(meta), path(ct, stageAs: 'ct/*'), path(labels, stageAs: 'labels/*'), val(path_name)
    path cutpoints
    path model              // aspects-fit's ischemia_model.tribuo, or []

    output:
    tuple val(meta), val(path_name), path("${meta.subject}_aspects.json"),     emit: json
    tuple val(meta), val(path_name), path("${meta.subject}_score.tsv"),        emit: score
    tuple val(meta), val(path_name), path("${meta.subject}_aspects.tsv"),      emit: tsv
    tuple val(meta), val(path_name), path("${meta.subject}_descriptors.tsv"),  emit: descriptors
    path "${meta.subject}_aspects_qc.png",                                      emit: png
    path 'versions.yml',                                                        emit: versions

    script:
    def args = task.ext.args ?: ''
    def classifier = model ? "--model ${model}" : ''
    """
    deepstroke aspects-score \\
        --ct ${ct} \\
        --labels ${labels} \\
        --subject ${meta.subject} \\
        --cutpoints ${cutpoints} \\
        ${classifier} \\
        --output-dir . \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    echo '{}' > ${meta.subject}_aspects.json
    printf 'subject\\tside\\tside_source\\taspects\\taffected\\tclassifier_side\\tclassifier_aspects\\tclassifier_affected\\n${meta.subject}\\tL\\tdetected\\t10\\t-\\tNA\\tNA\\tNA\\n' > ${meta.subject}_score.tsv
    touch ${meta.subject}_aspects.tsv ${meta.subject}_descriptors.tsv ${meta.subject}_aspects_qc.png
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
