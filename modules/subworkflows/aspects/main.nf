// ASPECTS: scores every (subject, labels path) pair, collects <outdir>/aspects/scores.tsv (one row per path
// and subject) and, for a synthetic cohort, evaluates each path against the truth.
// Paths are names of where the label maps come from: 'truth' (the phantom's labels: oracle segmentation),
// 'label-transfer' (back-projected atlas), 'unet' (predicted); mix them into one `cases` channel and call once.
// Lesion x regions paths ('lesion-oracle': truth lesion x label-transfer regions; 'lesion-unet': the U-Net's lesion
// channel x its region labels) come as `lesion_cases`: a region is affected when its lesion fraction exceeds the
// calibrated threshold; they join scores.tsv and ASPECTS_EVALUATE like the others, and their lesion maps are
// evaluated against the truth lesion masks (EVALUATE_LESIONS: Dice, volume error, detection).

include { ASPECTS_SCORE        } from '../../local/aspects_score'
include { ASPECTS_LESION_SCORE } from '../../local/aspects_lesion_score'
include { ASPECTS_EVALUATE     } from '../../local/aspects_evaluate'
include { EVALUATE_LESIONS     } from '../../local/evaluate_lesions'

workflow ASPECTS {
    take:
    cases         // channel: [meta (with subject), native CT, label map on the CT's grid (or another), path name,
                  //           brain mask or [], registration_qc.json or []] (the last two: aspects-score's QC flags)
    lesion_cases  // channel: [meta (with subject), region label map, binary lesion map, path name], or Channel.empty()
    lesion_truth  // channel: [subject, truth lesion mask] (synthetic cohorts), or Channel.empty() (no lesion evaluation)
    lesion_threshold // path: aspects-lesion-calibrate's YAML (params/aspects-lesion-threshold.yaml)
    cutpoints     // path: cut-points YAML
    model         // path: aspects-fit model, or [] (no classifier)
    truth         // channel: the phantom's cohort.tsv (synthetic cohorts), or Channel.empty() (no evaluation)
    tracking_uri  // val: MLflow tracking URI ('' = none), for the evaluation's logging
    outdir        // val: the results folder (scores.tsv is stored under its aspects/)

    main:
    ASPECTS_SCORE(cases, cutpoints, model)
    ASPECTS_LESION_SCORE(lesion_cases, lesion_threshold)
    score_rows = ASPECTS_SCORE.out.score.mix(ASPECTS_LESION_SCORE.out.score)
    score_json = ASPECTS_SCORE.out.json.mix(ASPECTS_LESION_SCORE.out.json)

    header = 'path\tsubject\tside\tside_source\taspects\taffected\tclassifier_side\tclassifier_aspects\tclassifier_affected\tqc'
    scores = score_rows
        .map { meta, path_name, tsv -> "${path_name}\t${tsv.readLines()[1]}" }
        .collectFile(name: 'scores.tsv', storeDir: "${outdir}/aspects", seed: header, newLine: true, sort: true)

    per_path = score_json
        .map { meta, path_name, json -> [path_name, json] }
        .groupTuple(sort: { a, b -> a.name <=> b.name })   // by file name, not arrival: a stable task hash
    ASPECTS_EVALUATE(per_path.combine(truth), tracking_uri)

    // each lesion path's maps vs the truth lesion masks (subjects without truth are left out), in subject order:
    // groupTuple keeps arrival order, which differs from run to run (measured: the container run's per-subject
    // tables came out in another order than the host run's, and the task hash, hence -resume, would change too)
    pairs = lesion_cases.map { meta, labels, lesion, path_name -> [meta.subject, path_name, lesion] }
        .combine(lesion_truth, by: 0)
        .map { subject, path_name, lesion, t -> [path_name, [subject, lesion, t]] }
        .groupTuple()
        .map { path_name, rows ->
            def ordered = rows.sort(false) { it[0] }
            [path_name, ordered.collect { it[0] }, ordered.collect { it[1] }, ordered.collect { it[2] }]
        }
    EVALUATE_LESIONS(pairs)

    versions = ASPECTS_SCORE.out.versions.first()
        .mix(ASPECTS_LESION_SCORE.out.versions.first(), ASPECTS_EVALUATE.out.versions,
            EVALUATE_LESIONS.out.versions)

    emit:
    scores      = scores                       // path: scores.tsv
    json        = score_json                   // tuple: meta, path name, <subject>_aspects.json
    evaluation  = ASPECTS_EVALUATE.out.json    // tuple: path name, <path>_evaluation.json
    metrics     = ASPECTS_EVALUATE.out.metrics // tuple: path name, <path>_metrics.tsv (metric, value)
    lesion_evaluation = EVALUATE_LESIONS.out.json    // tuple: path name, <path>_lesion_evaluation.json
    lesion_metrics    = EVALUATE_LESIONS.out.metrics // tuple: path name, <path>_lesion_metrics.tsv (metric, value)
    versions    = versions                     // path: versions.yml
}
