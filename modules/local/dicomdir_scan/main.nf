// Scans DICOMDIR file-sets (headers only) into manifest.tsv: one pseudonymous row per series, accepted or rejected
// as NCCT by the ingest rules, plus series/<series>.files (instance paths by position) for the conversion tasks.
// The file lists name each root by an id from its DICOMDIR's content (fs- + 12 hex of its SHA-256), not by position;
// scan-report.json lists the roots (id, kind) in the order given. A root without a DICOMDIR (hospital and PACS
// exports often come as plain folders) is walked (--folders): its id hashes each file's name, size and header, so two
// exports with the same names and sizes still get different ids.
// The pseudonymisation key comes from a staged key file (params.pseudonym_key_file) or, when that is not given,
// from DEEPSTROKE_PSEUDONYM_KEY in the environment the task inherits: the key's value never enters .command.sh.
process DICOMDIR_SCAN {
    tag "${roots instanceof List ? roots.size() : 1} file-set(s)"
    label 'process_low'

    input:
    path roots, stageAs: 'fs?'
    path rules
    path key_file

    output:
    path 'manifest.tsv',     emit: manifest
    path 'series',           emit: series
    path 'scan-report.json', emit: report
    path 'versions.yml',     emit: versions

    script:
    def inputs  = (roots instanceof List ? roots : [roots]).collect { it.toString() }.join(',')
    def key_opt = key_file ? "--pseudonym-key-file ${key_file}" : ''
    """
    deepstroke dicomdir-scan --input ${inputs} --folders --output . --rules ${rules} --threads ${task.cpus} ${key_opt}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    mkdir -p series
    printf 'subject\\tstudy\\tseries\\tdecision\\n' > manifest.tsv
    echo '{}' > scan-report.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
