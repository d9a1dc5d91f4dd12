// LABEL_TRANSFER: the seed's label-making chain. Per subject: SKULL_STRIP -> REGISTER (native CT onto the CT atlas)
// -> [OVERLAYS_TO_ATLAS -> REFINE_OVERLAY when refine] -> BACK_PROJECT (ASPECTS atlas onto
// the native grid). Cohort level: AGGREGATE_OVERLAYS (mean overlay template), CURATE_DATASET (the training
// dataset) and, for a synthetic cohort, EVALUATE_LABELS against the truth (results/registration/label_dice.tsv).
// Per-subject processes cache by content ('deep'), so a new subject reruns only its own chain and the cohort steps.

include { SKULL_STRIP        } from '../../local/skull_strip'
include { REGISTER           } from '../../local/register'
include { OVERLAYS_TO_ATLAS  } from '../../local/overlays_to_atlas'
include { AGGREGATE_OVERLAYS } from '../../local/aggregate_overlays'
include { REFINE_OVERLAY     } from '../../local/refine_overlay'
include { BACK_PROJECT       } from '../../local/back_project'
include { CURATE_DATASET     } from '../../local/curate_dataset'
include { EVALUATE_LABELS    } from '../../local/evaluate_labels'

workflow LABEL_TRANSFER {
    take:
    nifti          // channel: INGEST.out.nifti   (meta, NIfTI, sidecar)
    overlays       // channel: INGEST.out.overlays (meta, mask, counts)
    template       // path: skull-stripped CT atlas
    atlas_labels   // path: ATLAS.out.labels
    atlas_tsv      // path: ATLAS.out.tsv
    truth          // channel: PHANTOM.out.truth, or empty (no synthetic cohort)
    refine         // val: true = second registration of the atlas outline onto each subject's legacy overlay

    main:
    // One CT per subject: the first accepted series by study and series pseudonym (deterministic).
    cts = nifti
        .map { meta, nii, json -> [meta.subject, [subject: meta.subject, study: meta.study, series: meta.series], nii] }
        .groupTuple()
        .map { subject, metas, niis ->
            def i = (0..<metas.size()).min { k -> "${metas[k].study}/${metas[k].series}" }
            [metas[i], niis[i]]
        }

    SKULL_STRIP(cts)
    REGISTER(SKULL_STRIP.out.stripped.map { meta, mask, stripped -> [meta, stripped] }, template, atlas_labels)

    // Overlays on the chosen CT's grid: the series' own, or a derived copy resampled onto it by INGEST.
    by_series = cts.map { meta, nii -> [meta.series, meta] }
    subject_overlays = overlays
        .map { meta, mask, counts -> [meta.decision == 'overlay_source' ? meta.overlay_target : meta.series, mask] }
        .groupTuple()
        .map { series, masks -> [series, masks.sort { it.name }[0]] }
        .join(by_series)
        .map { series, mask, meta -> [meta.subject, mask] }
    transforms = REGISTER.out.transforms.map { meta, affine, warp, inverse -> [meta.subject, meta, affine, inverse] }
    OVERLAYS_TO_ATLAS(
        subject_overlays.join(transforms).map { subject, mask, meta, affine, inverse -> [meta, mask, affine, inverse] },
        template)
    // in file-name order, not arrival order: the same sum and the same task hash on every run (collect, not
    // toSortedList: no overlays = no task; toSortedList emits an empty list and the task failed without --overlays)
    AGGREGATE_OVERLAYS(OVERLAYS_TO_ATLAS.out.overlay.map { meta, overlay -> overlay }.collect(sort: { a, b -> a.name <=> b.name }),
        template)

    refine = Channel.empty()
    versions = Channel.empty()
    if (refine) {
        REFINE_OVERLAY(OVERLAYS_TO_ATLAS.out.overlay, atlas_labels)
        refine = REFINE_OVERLAY.out.warp.map { meta, warp -> [meta.subject, warp] }
        versions = versions.mix(REFINE_OVERLAY.out.versions)
    }

    // native CT + brain mask + inverse transforms (+ the refinement warp, or [])
    native_ = cts.map { meta, nii -> [meta.subject, meta, nii] }
        .join(SKULL_STRIP.out.stripped.map { meta, mask, stripped -> [meta.subject, mask, stripped] })
        .join(transforms.map { subject, meta, affine, inverse -> [subject, affine, inverse] })
        .join(refine, remainder: true)
        .map { subject, meta, nii, mask, stripped, affine, inverse, warp ->
            [meta, nii, mask, stripped, affine, inverse, warp ?: []] }
    BACK_PROJECT(native_.map { meta, nii, mask, stripped, affine, inverse, warp ->
        [meta, nii, mask, affine, inverse, warp] }, atlas_labels)

    // the curated dataset: one row per subject, sorted by pseudonym
    rows = native_.map { meta, nii, mask, stripped, affine, inverse, warp -> [meta.subject, nii, mask, stripped] }
        .join(BACK_PROJECT.out.labels.map { meta, labels -> [meta.subject, labels] })
        .join(REGISTER.out.warped.map { meta, warped -> [meta.subject, warped] })
        .toSortedList { a, b -> a[0] <=> b[0] }
        .filter { list -> !list.isEmpty() }
    CURATE_DATASET(
        rows.map { list -> [list] }.combine(atlas_labels).map { list, atlas ->
            [list*.get(0), list*.get(1), list*.get(4), list*.get(2), list*.get(3), list*.get(5),
             list.collect { atlas }] },
        atlas_tsv,
        truth.ifEmpty([]))   // the synthetic truth's lesion masks (lesion column), [] without a phantom cohort

    // quality vs the synthetic truth (only when a phantom cohort ran)
    predicted = BACK_PROJECT.out.labels.map { meta, labels -> [meta.subject, labels] }
        .toSortedList { a, b -> a[0] <=> b[0] }
        .filter { list -> !list.isEmpty() }
        .map { list -> [list*.get(0), list*.get(1)] }
    EVALUATE_LABELS(predicted.combine(truth).map { subjects, labels, t -> [subjects, labels] },
        truth, atlas_tsv)

    versions = versions.mix(SKULL_STRIP.out.versions, REGISTER.out.versions, OVERLAYS_TO_ATLAS.out.versions,
        AGGREGATE_OVERLAYS.out.versions, BACK_PROJECT.out.versions, CURATE_DATASET.out.versions,
        EVALUATE_LABELS.out.versions)

    emit:
    labels     = BACK_PROJECT.out.labels        // tuple: meta, native labels
    stripped   = SKULL_STRIP.out.stripped       // tuple: meta, brain mask, stripped CT
    transforms = REGISTER.out.transforms        // tuple: meta, affine, warp, inverse warp
    registration_qc = REGISTER.out.qc.map { meta, json, png -> [meta, json] } // tuple: meta, registration_qc.json
    dataset    = CURATE_DATASET.out.dataset     // path: the curated dataset folder
    label_dice = EVALUATE_LABELS.out.tsv        // path: label_dice.tsv (synthetic cohort only)
    versions   = versions
}
