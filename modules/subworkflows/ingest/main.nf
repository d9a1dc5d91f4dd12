// INGEST: DICOMDIR file-sets -> dicomdir-scan -> manifest -> per accepted series: HU NIfTI + sidecar, and the
// overlay mask of every series that carries overlays (accepted series on their own grid; derived overlay copies
// on the grid of the accepted CT the scan matched them to). Published under ${params.outdir}/ingest/.

include { DICOMDIR_SCAN   } from '../../local/dicomdir_scan'
include { DICOM_TO_NIFTI  } from '../../local/dicom_to_nifti'
include { OVERLAY_EXTRACT } from '../../local/overlay_extract'

// params.dicom_roots (a list, or one string of comma-separated paths) -> a channel of root folders, in order.
// A DICOMDIR file stands for its folder.
def ingestRoots(value) {
    def list = value instanceof List ? value : value.toString().tokenize(',')
    return Channel.fromList(list.collect { it.toString().trim() }.findAll { it }).map { p ->
        def f = file(p, checkIfExists: true)
        f.isDirectory() ? f : f.parent
    }
}

workflow INGEST {
    take:
    roots     // channel: file-set root folders, in order (ids fs1, fs2, ...)
    rules     // path: the ingest rules YAML
    key_file  // path of a file holding the pseudonymisation key, or [] (then DEEPSTROKE_PSEUDONYM_KEY is used)

    main:
    root_list = roots.collect()
    DICOMDIR_SCAN(root_list, rules, key_file)

    rows = DICOMDIR_SCAN.out.manifest.combine(DICOMDIR_SCAN.out.series).flatMap { manifest, series_dir ->
        manifest.splitCsv(header: true, sep: '\t').collect { r ->
            [[subject: r.subject, study: r.study, series: r.series, decision: r.decision,
              has_overlay: r.has_overlay == 'yes', overlay_target: r.overlay_target],
             series_dir.resolve("${r.series}.files")]
        }
    }
    accepted = rows.filter { meta, files -> meta.decision == 'accepted' }
    DICOM_TO_NIFTI(accepted, root_list, rules)

    own_grid = accepted.filter { meta, files -> meta.has_overlay }.map { meta, files -> [meta, files, []] }
    targets  = DICOM_TO_NIFTI.out.nifti.map { meta, nii, json -> [meta.series, nii] }
    onto_ct  = rows.filter { meta, files -> meta.decision == 'overlay_source' }
        .map { meta, files -> [meta.overlay_target, meta, files] }
        .combine(targets, by: 0)
        .map { target, meta, files, nii -> [meta, files, nii] }
    OVERLAY_EXTRACT(own_grid.mix(onto_ct), root_list, rules)

    versions = DICOMDIR_SCAN.out.versions
        .mix(DICOM_TO_NIFTI.out.versions, OVERLAY_EXTRACT.out.versions)

    emit:
    manifest = DICOMDIR_SCAN.out.manifest   // path: manifest.tsv
    nifti    = DICOM_TO_NIFTI.out.nifti     // tuple: meta, NIfTI, sidecar JSON
    overlays = OVERLAY_EXTRACT.out.mask     // tuple: meta, mask NIfTI, per-slice counts
    versions = versions                     // path: versions.yml per task
}
