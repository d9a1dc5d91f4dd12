// Generates the synthetic NCCT cohort: N seeded subjects as DICOM studies in ONE DICOMDIR file-set (the input of
// INGEST), with the ground truth apart, keyed by the same pseudonyms INGEST derives (same key). Only the truth is
// published: the file-set (about 200 MB a subject) stays in the work folder, where INGEST reads it.
// task.ext.args passes further options, e.g. '--overlay-share 0.5 --tilt-share 0.3'.
process PHANTOM {
    tag "${subjects} subjects, seed ${seed}"
    label 'process_low'

    input:
    path template_with_skull
    path template            // skull-stripped template on the same grid: the brain mask
    path labels              // ASPECTS label map on the template grid (ATLAS)
    path key_file            // file holding the pseudonymisation key, or [] (then DEEPSTROKE_PSEUDONYM_KEY)
    val subjects
    val seed

    output:
    path 'cohort/dicom',  emit: dicom
    path 'cohort/truth',  emit: truth
    path 'versions.yml',  emit: versions

    script:
    def args = task.ext.args ?: ''
    def key = key_file ? "--pseudonym-key-file ${key_file}" : ''
    """
    # A task killed mid-run is rerun by -resume in its old work folder: clear its partial cohort first (the tool
    # refuses to write into a non-empty one).
    rm -rf cohort
    deepstroke phantom \\
        --template-with-skull ${template_with_skull} \\
        --template ${template} \\
        --labels ${labels} \\
        --subjects ${subjects} \\
        --seed ${seed} \\
        ${key} \\
        --threads ${task.cpus} \\
        --output-dir cohort \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    mkdir -p cohort/dicom cohort/truth
    touch cohort/dicom/DICOMDIR cohort/truth/cohort.tsv
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
