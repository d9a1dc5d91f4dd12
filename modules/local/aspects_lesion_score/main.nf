// The lesion x regions ASPECTS path for one subject: a binary lesion map (the U-Net's lesion channel, or on a
// synthetic cohort the truth lesion: the oracle) x a lateralized region map -> per region lesion fraction; a region
// is affected when that fraction exceeds the calibrated threshold (params/aspects-lesion-threshold.yaml). Writes the
// same <subject>_aspects.json / _score.tsv forms as ASPECTS_SCORE (JSON section "lesion"), so ASPECTS_EVALUATE and
// scores.tsv take it like any other path; published under ${params.outdir}/aspects/<path>/<subject>/.
process ASPECTS_LESION_SCORE {
    tag "${path_name}:${meta.subject}"
    label 'process_single'
    label 'per_subject'

    input:
    tuple val(meta), path(labels, stageAs: 'labels/*'), path(lesion, stageAs: 'lesion/*'), val(path_name)
    path calibration        // aspects-lesion-calibrate's YAML (the threshold)

    output:
    tuple val(meta), val(path_name), path("${meta.subject}_aspects.json"),        emit: json
    tuple val(meta), val(path_name), path("${meta.subject}_score.tsv"),           emit: score
    tuple val(meta), val(path_name), path("${meta.subject}_lesion_regions.tsv"),  emit: regions
    path 'versions.yml',                                                           emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    deepstroke aspects-lesion-score \\
        --labels ${labels} \\
        --lesion ${lesion} \\
        --calibration ${calibration} \\
        --subject ${meta.subject} \\
        --output-dir . \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    echo '{}' > ${meta.subject}_aspects.json
    printf 'subject\\tside\\tside_source\\taspects\\taffected\\tclassifier_side\\tclassifier_aspects\\tclassifier_affected\\tqc\\n${meta.subject}\\tL\\tlesion\\t10\\t-\\tNA\\tNA\\tNA\\tNA\\n' > ${meta.subject}_score.tsv
    touch ${meta.subject}_lesion_regions.tsv
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
