#!/usr/bin/env nextflow
/*
 * DeepStroke: reproducible NCCT ASPECTS pipeline.
 *   DICOMDIR filtering -> DICOM to NIfTI (+ overlays) -> skull strip -> ANTs SyN to a CT atlas -> overlay template
 *   -> overlay refinement -> ASPECTS atlas back to native space -> curated dataset -> 3D U-Net -> ASPECTS.
 * Stages arrive one by one (see README.md for what runs today); each process lives in modules/.
 */
nextflow.enable.dsl = 2

include { validateParameters } from './modules/local/validate_params'
include { NIFTI_INFO        } from './modules/local/nifti_info'
include { SOFTWARE_VERSIONS } from './modules/local/software_versions'
include { INGEST; ingestRoots } from './modules/subworkflows/ingest'

workflow {
    validateParameters()

    volumes = Channel.fromPath(params.input, checkIfExists: true)

    NIFTI_INFO(volumes)
    versions = NIFTI_INFO.out.versions

    // DICOMDIR roots -> scan -> manifest -> one conversion (+ overlay extraction) per accepted series
    if (params.dicom_roots) {
        INGEST(ingestRoots(params.dicom_roots), file(params.ingest_rules, checkIfExists: true),
            params.pseudonym_key_file ? file(params.pseudonym_key_file, checkIfExists: true) : [])
        versions = versions.mix(INGEST.out.versions)
    }

    SOFTWARE_VERSIONS(versions.collect())
}
