// The seed's training dataset: raw / skull-stripped / atlas-registered CT with ASPECTS segmentations, a seeded
// patient-level train/validation/test split, manifest.tsv (sha256 of every file), dataset.json, labels.tsv.
// Cohort level: one task for all subjects.
//
// input : tuple val(subjects), path(cts), path(labels), path(masks), path(stripped), path(registered),
//               path(registered_labels)
//           six equally long lists, element i belonging to subjects[i] (pseudonyms), e.g. built by
//             per_subject.toSortedList { a, b -> a[0] <=> b[0] }
//                        .map { rows -> [rows*.get(0), rows*.get(1), ..., rows*.get(6)] }
//           cts: native CT; labels: back-projected labels (native grid); masks: brain masks; stripped: stripped
//           native CT; registered: CT warped to atlas space (REGISTER warped); registered_labels: atlas labels
//         path labels_tsv   ATLAS.out.tsv
//         path truth        the synthetic truth folder (results/phantom/truth layout) or [] for none: each
//                           <truth>/<subject>/lesion_mask.nii.gz becomes the subject's lesion mask (--truth)
// output: dataset  path 'dataset'  (the folder the U-Net reads; layout: curation DatasetLayout / README)
//         manifest path 'dataset/manifest.tsv'
//         json     path 'dataset/dataset.json'
//         versions path 'versions.yml'
process CURATE_DATASET {
    // process_low: it holds a subject's volumes at once (1.3 GB RSS measured on the test profile's 1 mm phantoms;
    // a 2 GB container limit ran out of heap)
    label 'process_low'

    input:
    tuple val(subjects), path(cts, stageAs: 'in/ct/?/*'), path(labels, stageAs: 'in/labels/?/*'),
        path(masks, stageAs: 'in/mask/?/*'), path(stripped, stageAs: 'in/stripped/?/*'),
        path(registered, stageAs: 'in/registered/?/*'), path(registered_labels, stageAs: 'in/registered_labels/?/*')
    path labels_tsv
    path truth, stageAs: 'in/truth'

    output:
    path 'dataset',              emit: dataset
    path 'dataset/manifest.tsv', emit: manifest
    path 'dataset/dataset.json', emit: json
    path 'versions.yml',         emit: versions

    script:
    def args = task.ext.args ?: ''   // split fractions and seed (conf/modules.config)
    def lesions = truth ? "--truth ${truth}" : ''
    def list = { x -> x instanceof List ? x : [x] }
    def ids = list(subjects)
    def columns = [cts, labels, masks, stripped, registered, registered_labels].collect { list(it) }
    columns.each { assert it.size() == ids.size() : "CURATE_DATASET: ${ids.size()} subjects but ${it.size()} files" }
    def rows = (0..<ids.size()).collect { i -> ([ids[i]] + columns.collect { it[i].toString() }).join('\t') }
    def table = (['subject\tct\tlabels\tbrain_mask\tstripped_ct\tregistered_ct\tregistered_labels'] + rows).join('\n')
    """
    cat > subjects.tsv <<'DEEPSTROKE_TSV'
${table}
DEEPSTROKE_TSV
    deepstroke curate-dataset \\
        --subjects subjects.tsv \\
        --output-dir dataset \\
        --labels-tsv ${labels_tsv} ${lesions} ${args} > /dev/null
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    mkdir -p dataset
    printf 'subject\\tsplit\\tvariant\\tvolume\\tsegmentation\\tvolume_sha256\\tsegmentation_sha256\\tlesion\\tlesion_sha256\\n' > dataset/manifest.tsv
    echo '{}' > dataset/dataset.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
