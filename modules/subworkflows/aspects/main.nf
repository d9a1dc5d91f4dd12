// ASPECTS: scores every (subject, labels path) pair, collects <outdir>/aspects/scores.tsv (one row per path
// and subject) and, for a synthetic cohort, evaluates each path against the truth.
// Paths are names of where the label maps come from: 'truth' (the phantom's labels: oracle segmentation),
// 'label-transfer' (back-projected atlas), 'unet' (predicted); mix them into one `cases` channel and call once.

include { ASPECTS_SCORE    } from '../../local/aspects_score'
include { ASPECTS_EVALUATE } from '../../local/aspects_evaluate'

workflow ASPECTS {
    take:
    cases         // channel: [meta (with subject), native CT, label map on the CT's grid (or another), path name]
    cutpoints     // path: cut-points YAML
    model         // path: aspects-fit model, or [] (no classifier)
    truth         // channel: the phantom's cohort.tsv (synthetic cohorts), or Channel.empty() (no evaluation)
    tracking_uri  // val: MLflow tracking URI ('' = none), for the evaluation's logging
    outdir        // val: the results folder (scores.tsv is stored under its aspects/)

    main:
    ASPECTS_SCORE(cases, cutpoints, model)

    header = 'path\tsubject\tside\tside_source\taspects\taffected\tclassifier_side\tclassifier_aspects\tclassifier_affected'
    scores = ASPECTS_SCORE.out.score
        .map { meta, path_name, tsv -> "${path_name}\t${tsv.readLines()[1]}" }
        .collectFile(name: 'scores.tsv', storeDir: "${outdir}/aspects", seed: header, newLine: true, sort: true)

    per_path = ASPECTS_SCORE.out.json
        .map { meta, path_name, json -> [path_name, json] }
        .groupTuple()
    ASPECTS_EVALUATE(per_path.combine(truth), tracking_uri)

    versions = ASPECTS_SCORE.out.versions.first().mix(ASPECTS_EVALUATE.out.versions)

    emit:
    scores      = scores                       // path: scores.tsv
    json        = ASPECTS_SCORE.out.json       // tuple: meta, path name, <subject>_aspects.json
    evaluation  = ASPECTS_EVALUATE.out.json    // tuple: path name, <path>_evaluation.json
    metrics     = ASPECTS_EVALUATE.out.metrics // tuple: path name, <path>_metrics.tsv (metric, value)
    versions    = versions                     // path: versions.yml
}
