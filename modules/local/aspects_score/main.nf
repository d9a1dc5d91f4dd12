// Scores one subject from one labels path: native CT (HU) + lateralized ASPECTS label map (truth/oracle, label
// transfer, U-Net: the same ids 1..20) -> relative HU per region vs the cut-points, ASPECTS, extended descriptors,
// optionally the fitted classifier's score; published under ${params.outdir}/aspects/<path>/<subject>/.
// model may be [] (no classifier). task.ext.args passes further options, e.g. '--side R'.
// QC (issue 14 item 6): the skull-strip brain mask and register's registration_qc.json, each [] when the path has
// none (the U-Net and truth paths have no registration): aspects-score's qc column and qc_flags.
process ASPECTS_SCORE {
    tag "${path_name}:${meta.subject}"
    label 'process_single'
    label 'per_subject'

    input:
    tuple val(meta), path(ct, stageAs: 'ct/*'), path(labels, stageAs: 'labels/*'), val(path_name),
        path(brain_mask, stageAs: 'qc_mask/*'), path(registration_qc, stageAs: 'qc_registration/*')
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
    def qc = (brain_mask ? "--brain-mask ${brain_mask} " : '') + (registration_qc ? "--registration-qc ${registration_qc}" : '')
    """
    deepstroke aspects-score \\
        --ct ${ct} \\
        --labels ${labels} \\
        --subject ${meta.subject} \\
        --cutpoints ${cutpoints} \\
        ${classifier} ${qc} \\
        --output-dir . \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    echo '{}' > ${meta.subject}_aspects.json
    printf 'subject\\tside\\tside_source\\taspects\\taffected\\tclassifier_side\\tclassifier_aspects\\tclassifier_affected\\tqc\\n${meta.subject}\\tL\\tdetected\\t10\\t-\\tNA\\tNA\\tNA\\tok\\n' > ${meta.subject}_score.tsv
    touch ${meta.subject}_aspects.tsv ${meta.subject}_descriptors.tsv ${meta.subject}_aspects_qc.png
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
