// Test harness of the ASPECTS subworkflow (AspectsPipelineTest copies it next to symlinks of the project's modules/
// and bin/). Without --cases: a small synthetic cohort, ingested, scored on its truth labels (the oracle path) and
// evaluated, wired exactly as the commented ASPECTS block of main.nf. With --cases (subject, ct, labels TSV) and
// --truth: those cases straight into ASPECTS (for -stub-run, where the stubbed ingest yields no series).
// The lesion x regions path runs as 'lesion-oracle' on the truth lesion masks x the truth labels (the harness has no
// label transfer; main.nf pairs them with the label-transfer regions): with whole-region phantom lesions and the
// calibrated threshold it must reproduce the truth's ASPECTS, and its lesion maps match the truth's (Dice 1).
nextflow.enable.dsl = 2

include { PHANTOM } from './modules/local/phantom'
include { INGEST  } from './modules/subworkflows/ingest'
include { ASPECTS } from './modules/subworkflows/aspects'

workflow {
    if (params.cases) {
        oracle = Channel.fromPath(params.cases, checkIfExists: true).splitCsv(header: true, sep: '\t')
            .map { r -> [[subject: r.subject], file(r.ct, checkIfExists: true), file(r.labels, checkIfExists: true), 'truth', [], []] }
        truth = Channel.fromPath(params.truth, checkIfExists: true)
        lesion_truth = Channel.fromPath(params.cases, checkIfExists: true).splitCsv(header: true, sep: '\t')
            .map { r -> [r.subject, file(r.lesion, checkIfExists: true)] }
        lesion_cases = Channel.fromPath(params.cases, checkIfExists: true).splitCsv(header: true, sep: '\t')
            .map { r -> [[subject: r.subject], file(r.labels, checkIfExists: true), file(r.lesion, checkIfExists: true), 'lesion-oracle'] }
    } else {
        key_file = file(params.pseudonym_key_file, checkIfExists: true)
        // the old generator (template anatomy): the cut-points in params/aspects-cutpoints-phantom.yaml are its
        PHANTOM('template', file(params.template_with_skull, checkIfExists: true),
            file(params.template, checkIfExists: true), file(params.labels, checkIfExists: true), [], [], key_file,
            params.phantom_subjects, params.phantom_seed)
        INGEST(PHANTOM.out.dicom, file(params.ingest_rules, checkIfExists: true), key_file)
        oracle = INGEST.out.nifti.combine(PHANTOM.out.truth)
            .map { meta, nii, json, truth -> [meta, nii, truth.resolve("${meta.subject}/labels.nii.gz"), 'truth', [], []] }
        truth = PHANTOM.out.truth.map { it.resolve('cohort.tsv') }
        lesion_truth = INGEST.out.nifti.combine(PHANTOM.out.truth)
            .map { meta, nii, json, t -> [meta.subject, t.resolve("${meta.subject}/lesion_mask.nii.gz")] }
        lesion_cases = INGEST.out.nifti.combine(PHANTOM.out.truth)
            .map { meta, nii, json, t -> [meta, t.resolve("${meta.subject}/labels.nii.gz"),
                t.resolve("${meta.subject}/lesion_mask.nii.gz"), 'lesion-oracle'] }
    }
    ASPECTS(oracle, lesion_cases, lesion_truth, file(params.aspects_lesion_threshold, checkIfExists: true),
        file(params.aspects_cutpoints, checkIfExists: true),
        params.aspects_model ? file(params.aspects_model, checkIfExists: true) : [], truth, params.tracking_uri, params.outdir)
}
