// Validates params against params/schema.json before any task runs (nf-schema, Nextflow's own validator, is a
// plugin this platform cannot download). Runs `deepstroke validate-params` in the launching JVM's machine.
def validateParameters() {
    def json = File.createTempFile('deepstroke-params-', '.json')
    json.deleteOnExit()
    json.text = groovy.json.JsonOutput.toJson(params.collectEntries { k, v -> [(k): v instanceof GString ? v.toString() : v] })
    def command = ["${projectDir}/bin/deepstroke", 'validate-params',
                   '--schema', "${projectDir}/params/schema.json", '--params', json.toString()]
    def proc = command.collect { it.toString() }.execute()
    def stdout = new StringBuilder()
    def stderr = new StringBuilder()
    proc.consumeProcessOutput(stdout, stderr)
    proc.waitFor()
    if (proc.exitValue() != 0) {
        error("Invalid parameters (see params/schema.json and README.md):\n" + stderr.toString().trim())
    }
}
