// Segments the ASPECTS regions of one native CT with the trained U-Net: <subject>.nii.gz (uint8 label ids on the
// CT's grid) and the inference time (<subject>_timing.json).
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
    path "${subject}_timing.json",                 emit: timing
    path 'versions.yml',                           emit: versions

    script:
    def mask = brain_mask ? "--brain-mask ${brain_mask}" : ''
    """
    deepstroke predict --model ${model} --ct ${ct} ${mask} --output ${subject}.nii.gz --timing ${subject}_timing.json
    deepstroke versions --process ${task.process} --output versions.yml
    """

    stub:
    """
    touch ${subject}.nii.gz
    echo '{}' > ${subject}_timing.json
    printf '"%s":\\n    deepstroke: "stub"\\n' '${task.process}' > versions.yml
    """
}
