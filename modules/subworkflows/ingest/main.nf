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
    roots     // channel: file-set root folders (ids come from each DICOMDIR's content, not from the order)
    rules     // path: the ingest rules YAML
    key_file  // path of a file holding the pseudonymisation key, or [] (then DEEPSTROKE_PSEUDONYM_KEY is used)

    main:
    // The scan is cohort-level (it reruns when a root is added). The per-series tasks get their file list by content
    // (a val) and only the root(s) that series lies in, so adding a root leaves their inputs, and -resume caches them.
    root_list = roots.collect()
    DICOMDIR_SCAN(root_list, rules, key_file)

    // file-set id -> root folder: scan-report.json lists the roots in the order they were given (root_list's order)
    root_by_id = DICOMDIR_SCAN.out.report.combine(root_list.map { [it] }).map { report, folders ->
        def ids = new groovy.json.JsonSlurper().parse(report.toFile()).roots.collect { it.id }
        def byId = [:]
        [ids, folders].transpose().each { id, folder -> byId.putIfAbsent(id, folder) }
        byId
    }

    // per series: [meta, file list text, root ids, root folders]
    rows = DICOMDIR_SCAN.out.manifest.combine(DICOMDIR_SCAN.out.series).combine(root_by_id).flatMap { manifest, series_dir, by_id ->
        manifest.splitCsv(header: true, sep: '\t').collect { r ->
            def ids = r.file_sets.tokenize(',')
            [[subject: r.subject, study: r.study, series: r.series, decision: r.decision,
              has_overlay: r.has_overlay == 'yes', overlay_target: r.overlay_target],
             series_dir.resolve("${r.series}.files").text, ids, ids.collect { by_id[it] }]
        }
    }
    accepted = rows.filter { meta, list, ids, folders -> meta.decision == 'accepted' }
    DICOM_TO_NIFTI(accepted, rules)

    own_grid = accepted.filter { meta, list, ids, folders -> meta.has_overlay }
        .map { meta, list, ids, folders -> [meta, list, ids, folders, []] }
    targets  = DICOM_TO_NIFTI.out.nifti.map { meta, nii, json -> [meta.series, nii] }
    onto_ct  = rows.filter { meta, list, ids, folders -> meta.decision == 'overlay_source' }
        .map { meta, list, ids, folders -> [meta.overlay_target, meta, list, ids, folders] }
        .combine(targets, by: 0)
        .map { target, meta, list, ids, folders, nii -> [meta, list, ids, folders, nii] }
    OVERLAY_EXTRACT(own_grid.mix(onto_ct), rules)

    versions = DICOMDIR_SCAN.out.versions
        .mix(DICOM_TO_NIFTI.out.versions, OVERLAY_EXTRACT.out.versions)

    emit:
    manifest = DICOMDIR_SCAN.out.manifest   // path: manifest.tsv
    nifti    = DICOM_TO_NIFTI.out.nifti     // tuple: meta, NIfTI, sidecar JSON
    overlays = OVERLAY_EXTRACT.out.mask     // tuple: meta, mask NIfTI, per-slice counts
    versions = versions                     // path: versions.yml per task
}
