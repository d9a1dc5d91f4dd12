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
include { SOFTWARE_VERSIONS   } from './modules/local/software_versions'

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

    if (params.phantom_subjects > 0) {
        // ASPECTS region atlas as one label map on the CT template's grid: the synthetic cohort's truth labels
        // (the registration stages will use it for every cohort)
        ATLAS(file(params.template, checkIfExists: true), aspectsMasks(params.aspects_masks),
            params.aspects_template ? file(params.aspects_template, checkIfExists: true) : [],
            params.aspects_mr_template ? file(params.aspects_mr_template, checkIfExists: true) : [],
            params.aspects_mr_template_entry ?: '')
        // the synthetic cohort comes after the given DICOMDIR roots (its file-set id is the last)
        PHANTOM(file(params.template_with_skull, checkIfExists: true), file(params.template), ATLAS.out.labels,
            key_file, params.phantom_subjects, params.phantom_seed)
        roots = roots.concat(PHANTOM.out.dicom)
        versions = versions.mix(ATLAS.out.versions, PHANTOM.out.versions)
    }

    // scan -> manifest -> one conversion (+ overlay extraction) per accepted series
    INGEST(roots, file(params.ingest_rules, checkIfExists: true), key_file)
    versions = versions.mix(INGEST.out.versions)

    SOFTWARE_VERSIONS(versions.collect())
}
