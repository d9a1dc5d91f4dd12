// ANTs registration of one skull-stripped native CT (moving) onto the skull-stripped CT atlas (fixed): rigid ->
// affine (MI) -> SyN (CC), preset params.registration_preset (ext.args; every preset value is an option of
// `deepstroke register`, e.g. ext.args = '--preset fast --cc-radius 3'), ITK threads = task.cpus, fixed seed.
//
// input : tuple val(meta), path(stripped)   SKULL_STRIP's stripped CT
//         path template                     skull-stripped CT atlas (params.template)
//         path atlas_labels                 ATLAS' aspects_labels.nii.gz (outlines of the QC picture)
// output: transforms tuple val(meta), path("<s>_0GenericAffine.mat"), path("<s>_1Warp.nii.gz"),
//                    path("<s>_1InverseWarp.nii.gz")
//         warped     tuple val(meta), path("<s>_warped.nii.gz")   (the CT on the atlas grid)
//         qc         tuple val(meta), path("<s>_registration_qc.json"), path("<s>_registration_qc.png")
//         log        path "<s>_registration.log"
//         versions   path 'versions.yml'
process REGISTER {
    tag "${meta.subject}"
    label 'process_medium'
    label 'ants'
    label 'per_subject'
    cache 'deep'

    input:
    tuple val(meta), path(stripped)
    path template
    path atlas_labels

    output:
    tuple val(meta), path("${meta.subject}_0GenericAffine.mat"), path("${meta.subject}_1Warp.nii.gz"),
        path("${meta.subject}_1InverseWarp.nii.gz"),                                        emit: transforms
    tuple val(meta), path("${meta.subject}_warped.nii.gz"),                                 emit: warped
    tuple val(meta), path("${meta.subject}_registration_qc.json"), path("${meta.subject}_registration_qc.png"), emit: qc
    path "${meta.subject}_registration.log",                                                emit: log
    path 'versions.yml',                                                                    emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    deepstroke register \\
        --moving ${stripped} \\
        --fixed ${template} \\
        --atlas-labels ${atlas_labels} \\
        --output-prefix ${meta.subject}_ \\
        --threads ${task.cpus} \\
        --seed 1 \\
        ${args}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${meta.subject}_0GenericAffine.mat ${meta.subject}_1Warp.nii.gz ${meta.subject}_1InverseWarp.nii.gz
    touch ${meta.subject}_warped.nii.gz ${meta.subject}_registration_qc.png ${meta.subject}_registration.log
    echo '{}' > ${meta.subject}_registration_qc.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
