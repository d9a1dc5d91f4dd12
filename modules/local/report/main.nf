// The run report: ${outdir}/reports/summary.html (run summary, failed and skipped subjects, cohort-level QC, methods
// paragraph with versions and citations) linking reports/subjects/<subject>.html (every stage's QC pictures and
// tables for that subject), plus report.json. `deepstroke report` discovers what to show by the results layout
// (results/<stage>/.../<subject>/...*qc.png and *.tsv), so stages added later appear without a change here.
// It reads the published results folder: it runs after SOFTWARE_VERSIONS, i.e. after every other task.
process REPORT {
    label 'process_single'
    // The results folder is read in place: containers get it mounted read-only at the same path. (This directive
    // replaces the profile's process.containerOptions, hence the image reference for versions.yml again.)
    containerOptions { workflow.containerEngine in ['docker', 'podman']
        ? "-v ${results}:${results}:ro --env DEEPSTROKE_CONTAINER_IMAGE=${task.container}"
        : workflow.containerEngine in ['singularity', 'apptainer'] ? "-B ${results}:${results}:ro" : '' }

    input:
    tuple path(software_versions), val(results), val(failures)   // failures: the markers' contents (cache key)
    val nextflow_version

    output:
    path 'summary.html', emit: html
    path 'report.json',  emit: json
    path 'subjects',     emit: subjects
    path 'versions.yml', emit: versions

    script:
    """
    mkdir -p subjects
    deepstroke report --results ${results} --versions ${software_versions} --output-dir . \\
        --nextflow-version ${nextflow_version}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    mkdir -p subjects
    touch summary.html
    echo '{}' > report.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}

// REPORT's input from the collated software_versions.yml: the absolute results folder and the failure markers
// present once every other task has finished (their contents make a resumed run redo the report exactly when the
// set of failed subjects changed).
def reportInputs(software_versions, outdir) {
    def results = file(outdir).toAbsolutePath().toString()
    software_versions.map { yml ->
        def markers = new File("${results}/pipeline_info/failed_tasks")
        def failures = markers.isDirectory() ? markers.listFiles().findAll { it.name.endsWith('.tsv') }
            .sort { it.name }.collect { it.text }.join('') : ''
        [yml, results, failures]
    }
}
