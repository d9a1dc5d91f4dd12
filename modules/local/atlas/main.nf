// Maps the ASPECTS region atlas onto a CT template as ONE label map on the target grid (ids 1-10 left, 11-20 right;
// see labels.tsv), with a QC picture at the ganglionic and supraganglionic levels, the transforms and atlas.json.
// Two routes to the template:
// - atlas_mr_template given (FSL's MNI152 T1 the masks were drawn on, or a zip/wheel holding it:
//   atlas_mr_template_entry names the entry, '' for a plain file): registered straight to the template (Atropos tissue
//   classes -> pseudo-CT; SyN with MI + pseudo-CT CC), the caudate first snapped to the T1's grey matter;
// - else atlas_template (a CT template in the atlas space): SyN CT to CT (CC).
// Both [] (nf-core convention for an absent optional file): the atlas is declared to be in the template's space and
// only resampled through world coordinates.
// task.ext.args passes further options, e.g. '--preset accurate --seed 7'.
process ATLAS {
    tag "${template.simpleName}"
    label 'process_medium'
    label 'ants'

    input:
    path template
    path atlas_masks, stageAs: 'aspects_masks/*'   // the 20 MNI152_<C|LN|IC|InCa|M1..M6>_<L|R>.nii.gz
    path atlas_template   // CT template in the atlas space (used without an MR template), or []
    path atlas_mr_template        // the masks' own MR template (or a wheel holding it), or []
    val  atlas_mr_template_entry  // entry inside that archive, or ''

    output:
    path 'aspects_labels.nii.gz',   emit: labels
    path 'labels.tsv',              emit: tsv
    path 'atlas_qc.png',            emit: png
    path 'atlas.json',              emit: json
    path 'atlas_to_template_*',     emit: transforms, optional: true
    path 'atlas_mr_template_tissue.nii.gz', emit: mr_tissue, optional: true
    path 'atlas_*.log',             emit: logs,       optional: true
    path 'versions.yml',            emit: versions

    script:
    def args = task.ext.args ?: ''
    def route = atlas_mr_template ? "--atlas-mr-template ${atlas_mr_template}"
        : (atlas_template ? "--atlas-template ${atlas_template}" : '')
    if (atlas_mr_template && atlas_mr_template_entry) {
        route += " --atlas-mr-template-entry '${atlas_mr_template_entry}'"
    }
    """
    deepstroke atlas \\
        --template ${template} \\
        --atlas-masks aspects_masks \\
        ${route} \\
        --output-dir . \\
        --threads ${task.cpus} \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch aspects_labels.nii.gz labels.tsv atlas_qc.png
    echo '{}' > atlas.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
