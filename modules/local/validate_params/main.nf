// Checks run before any task: params against params/schema.json (nf-schema, Nextflow's own validator, is a plugin
// this platform cannot download; `deepstroke validate-params` runs on the launching machine), container images
// pinned for real when a container engine is on, and a fresh failed_tasks/ folder for this run's failure markers.
// The parameters come in as an argument (modules do not read params; main.nf passes them).
def validateParameters(pipelineParams) {
    def text = groovy.json.JsonOutput.toJson(pipelineParams.collectEntries { k, v -> [(k): v instanceof GString ? v.toString() : v] })
    // Parameters already found valid against this very schema by this very validator need no second JVM start: a
    // stamp named by their joint SHA-256 in the work folder lets a no-op -resume skip it (a few seconds of its cost).
    def core = new File("${projectDir}/java-tools/dist/target/lib/base").listFiles()?.find { it.name.startsWith('deepstroke-core-') }
    def digest = java.security.MessageDigest.getInstance('SHA-256')
    [text.bytes, new File("${projectDir}/params/schema.json").bytes, core ? core.bytes : new byte[0]].each { digest.update(it) }
    def stamp = new File("${workDir}/.deepstroke-valid-params/${digest.digest().encodeHex()}")
    if (!stamp.exists()) {
        validateWithTool(text)
        stamp.parentFile.mkdirs()
        stamp.text = ''
    }
    checkContainerImages()
    // Failure markers describe this run only (see failedTaskStrategy in nextflow.config): a resumed run starts
    // from none and re-creates those of the tasks that fail again.
    new File("${pipelineParams.outdir}/pipeline_info/failed_tasks").deleteDir()
}

def validateWithTool(String text) {
    def json = File.createTempFile('deepstroke-params-', '.json')
    json.deleteOnExit()
    json.text = text
    def command = ["${projectDir}/bin/deepstroke", 'validate-params',
                   '--schema', "${projectDir}/params/schema.json", '--params', json.toString()]
    def proc = command.collect { it.toString() }.execute()
    def stdout = new StringBuilder()
    def stderr = new StringBuilder()
    proc.consumeProcessOutput(stdout, stderr)
    proc.waitFor()
    if (proc.exitValue() != 0) {
        // the tool names its --params file: here a temporary copy of the run's parameters, so say that instead
        def problems = stderr.toString().trim().replace("${json}: ", '').replace('; invalid parameter', '\ninvalid parameter')
        error("Invalid parameters (see params/schema.json and README.md):\n" + problems)
    }
}

// With a container engine, every image reference must be a real digest: containers/build.sh writes them after a
// push. Until then the config files say 'deepstroke-images-status: UNBUILT' and the run stops here, before any task
// tries to pull a reference that does not exist.
def checkContainerImages() {
    if (!workflow.containerEngine) {
        return
    }
    def configs = ['images.config'] + (workflow.profile.tokenize(',').contains('cuda') ? ['images-cuda.config'] : [])
    def unbuilt = configs.findAll { new File("${projectDir}/containers/${it}").text.contains('deepstroke-images-status: UNBUILT') }
    if (unbuilt) {
        error("Container images not built yet: containers/${unbuilt.join(', containers/')} hold placeholders, not " +
              "digests. Run containers/build.sh --push (podman or docker; see containers/README.md), or " +
              "run without -profile ${workflow.containerEngine}.")
    }
}
