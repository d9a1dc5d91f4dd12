// Segments the ASPECTS regions of one native CT with the trained U-Net: <subject>.nii.gz (uint8 label ids on the
// CT's grid) and the inference time (<subject>_timing.json); with ext.lesion (a model trained with --lesion-head)
// also the lesion map <subject>_lesion.nii.gz (uint8 0/1 on the CT's grid).
process PREDICT {
    tag "${subject}"
    label 'process_low'
    label 'gpu_capable'
    label 'dl4j'
    label 'per_subject'

    input:
    tuple val(subject), path(ct, stageAs: 'ct/*'), path(brain_mask, stageAs: 'brain_mask/*')
    path model

    output:
    tuple val(subject), path("${subject}.nii.gz"), emit: labels
    tuple val(subject), path("${subject}_lesion.nii.gz"), emit: lesions, optional: true
    path "${subject}_timing.json",                 emit: timing
    path 'versions.yml',                           emit: versions

    script:
    def mask = brain_mask ? "--brain-mask ${brain_mask}" : ''
    def lesion = task.ext.lesion ? "--lesion-output ${subject}_lesion.nii.gz" : ''
    """
    deepstroke predict --model ${model} --ct ${ct} ${mask} --output ${subject}.nii.gz --timing ${subject}_timing.json ${lesion}
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    def lesion = task.ext.lesion ? "touch ${subject}_lesion.nii.gz" : ''
    """
    touch ${subject}.nii.gz
    ${lesion}
    echo '{}' > ${subject}_timing.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
