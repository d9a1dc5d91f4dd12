#!/usr/bin/env nextflow
/*
 * DeepStroke: reproducible NCCT ASPECTS pipeline.
 *   DICOMDIR filtering -> DICOM to NIfTI (+ overlays) -> skull strip -> ANTs SyN to a CT atlas -> overlay template
 *   -> overlay refinement -> ASPECTS atlas back to native space -> curated dataset -> 3D U-Net -> ASPECTS.
 * Stages arrive one by one (README.md lists what runs today); each process lives in modules/.
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

// The 20 ASPECTS region masks of params.aspects_masks (a folder or a URL prefix): caudate (C), lentiform (LN),
// internal capsule (IC), insula (InCa), M1-M6, each hemisphere. Listed by name so that URLs work as well as folders.
def aspectsMasks(base) {
    ['C', 'LN', 'IC', 'InCa', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6'].collectMany { region ->
        ['L', 'R'].collect { side -> file("${base}/MNI152_${region}_${side}.nii.gz", checkIfExists: true) }
    }
}

workflow {
    validateParameters()
    key_file = params.pseudonym_key_file ? file(params.pseudonym_key_file, checkIfExists: true) : []

    versions = Channel.empty()
    roots = params.dicom_roots ? ingestRoots(params.dicom_roots) : Channel.empty()

    // ASPECTS region atlas as one label map on the CT template's grid: what registration carries to every subject,
    // and the synthetic cohort's truth labels
    ATLAS(file(params.template, checkIfExists: true), aspectsMasks(params.aspects_masks),
        params.aspects_template ? file(params.aspects_template, checkIfExists: true) : [])
    versions = versions.mix(ATLAS.out.versions)
    truth = Channel.empty()
    if (params.phantom_subjects > 0) {
        // the synthetic cohort comes after the given DICOMDIR roots (its file-set id is the last)
        PHANTOM(file(params.template_with_skull, checkIfExists: true), file(params.template), ATLAS.out.labels,
            key_file, params.phantom_subjects, params.phantom_seed)
        roots = roots.concat(PHANTOM.out.dicom)
        truth = PHANTOM.out.truth
        versions = versions.mix(PHANTOM.out.versions)
    }

    // scan -> manifest -> one conversion (+ overlay extraction) per accepted series
    INGEST(roots, file(params.ingest_rules, checkIfExists: true), key_file)
    versions = versions.mix(INGEST.out.versions)

    // ASPECTS (issue 7; the lead wires it): the oracle path scores the synthetic truth labels on the ingested CT
    // (same grid when untilted; aspects-score resamples the others through world coordinates, nearest neighbour).
    // Label transfer and U-Net join by mixing [meta, ct, labels, 'label-transfer' | 'unet'] into the same channel.
    // if (params.phantom_subjects > 0) {
    //     oracle = INGEST.out.nifti.combine(PHANTOM.out.truth)
    //         .map { meta, nii, json, truth -> [meta, nii, truth.resolve("${meta.subject}/labels.nii.gz"), 'truth'] }
    //     ASPECTS(oracle, file(params.aspects_cutpoints, checkIfExists: true),
    //         params.aspects_model ? file(params.aspects_model, checkIfExists: true) : [],
    //         PHANTOM.out.truth.map { it.resolve('cohort.tsv') }, params.tracking_uri ?: '')
    //     versions = versions.mix(ASPECTS.out.versions)
    // }

    // skull strip -> registration -> (overlays) -> atlas labels on every native CT -> dataset (+ Dice vs truth)
    LABEL_TRANSFER(INGEST.out.nifti, INGEST.out.overlays, file(params.template, checkIfExists: true),
        ATLAS.out.labels, ATLAS.out.tsv, truth)
    versions = versions.mix(LABEL_TRANSFER.out.versions)
    // 3D U-Net: TRAIN -> PREDICT (test split) -> EVALUATE. The dataset comes from params.dataset until CURATE's
    // dataset channel (label_transfer subworkflow) is connected: pass that channel instead of the file.
    if (params.dataset) {
        truth = params.phantom_subjects > 0 ? PHANTOM.out.truth : Channel.value([])
        SEGMENTATION(Channel.value(file(params.dataset, checkIfExists: true)), truth)
        versions = versions.mix(SEGMENTATION.out.versions)
    }
    SOFTWARE_VERSIONS(versions.collect())
}
