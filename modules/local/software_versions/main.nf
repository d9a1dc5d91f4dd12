// Collates the versions.yml every process emits into one software_versions.yml (nf-core convention).
process SOFTWARE_VERSIONS {
    label 'process_single'
    // by content: every resumed run hands over the same files in whatever order their tasks ended
    cache 'deep'

    input:
    path 'versions/versions_*.yml'

    output:
    path 'software_versions.yml', emit: yml

    script:
    """
    # One block per process (every task of a process reports the same versions): keep the first of each.
    cat versions/versions_*.yml | awk '/^"/ { keep = !(\$0 in done); done[\$0] = 1 } keep' > software_versions.yml
    """

    stub:
    """
    touch software_versions.yml
    """
}
