// TRAIN -> PREDICT (test-split subjects of the curated dataset) -> EVALUATE.
//   dataset: a value channel with the curated dataset folder (curate-dataset layout, manifest.tsv)
//   truth:   a value channel with the synthetic truth folder (results/phantom/truth layout), or [] for none
//   variant: the dataset variant the network is trained on (raw, stripped, registered): its test split is predicted
include { TRAIN    } from '../../local/train'
include { PREDICT  } from '../../local/predict'
include { EVALUATE } from '../../local/evaluate'

workflow SEGMENTATION {
    take:
    dataset
    truth
    variant

    main:
    TRAIN(dataset)

    // test-split rows of the chosen variant: [subject, CT, brain mask]
    test_subjects = dataset.flatMap { ds ->
        ds.resolve('manifest.tsv').splitCsv(header: true, sep: '\t')
            .findAll { row -> row.split == 'test' && row.variant == variant }
            .collect { row ->
                def mask = ds.resolve("brain_masks/${row.subject}.nii.gz")
                [row.subject, ds.resolve(row.volume), mask.exists() ? mask : []]
            }
    }
    PREDICT(test_subjects, TRAIN.out.model)

    EVALUATE(PREDICT.out.labels.map { it[1] }.collect(sort: { a, b -> a.name <=> b.name }), dataset, TRAIN.out.dir, truth)

    emit:
    model      = TRAIN.out.model
    training   = TRAIN.out.dir
    labels     = PREDICT.out.labels
    lesions    = PREDICT.out.lesions           // tuple: subject, <subject>_lesion.nii.gz (lesion-head models only)
    evaluation = EVALUATE.out.json
    versions   = TRAIN.out.versions.mix(PREDICT.out.versions.first(), EVALUATE.out.versions)
}
