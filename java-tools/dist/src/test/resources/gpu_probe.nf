// Test-only pipeline: one process with the GPU-capable label (GPU resources with --unet_gpu), run with the project's nextflow.config to check
// what the slurm profile asks the scheduler for.
process GPU_PROBE {
    label 'gpu_capable'
    output: path 'probe.txt'
    script: 'echo probe > probe.txt'
    stub:   'touch probe.txt'
}

workflow {
    GPU_PROBE()
}
