// Test harness of the INGEST subworkflow (IngestPipelineTest copies it next to symlinks of the project's modules/
// and bin/): the given DICOMDIR roots -> scan -> conversions + overlay masks, and the versions of every task. The
// whole main.nf needs every module's tools (atlas, registration, ...), which the ingest module's tests do not have.
nextflow.enable.dsl = 2

include { INGEST; ingestRoots } from './modules/subworkflows/ingest'
include { SOFTWARE_VERSIONS   } from './modules/local/software_versions'

workflow {
    key_file = params.pseudonym_key_file ? file(params.pseudonym_key_file, checkIfExists: true) : []
    INGEST(ingestRoots(params.dicom_roots), file(params.ingest_rules, checkIfExists: true), key_file)
    SOFTWARE_VERSIONS(INGEST.out.versions.collect())
}
