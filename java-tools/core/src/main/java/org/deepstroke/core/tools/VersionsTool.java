package org.deepstroke.core.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.provenance.CoreVersions;
import org.deepstroke.core.provenance.VersionSource;

/**
 * {@code deepstroke versions}: the versions of the platform and of the software behind it, as the nf-core
 * {@code versions.yml} of a process, so that every pipeline step records what produced its outputs.
 */
public final class VersionsTool implements Tool {

    @Override
    public String name() {
        return "versions";
    }

    @Override
    public String summary() {
        return "Print the versions of deepstroke, Java and the external software (ANTs, ...) as YAML";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("process").hasArg().argName("NAME")
                        .desc("nest the versions under this process name (nf-core versions.yml form)").build())
                .addOption(Option.builder("o").longOpt("output").hasArg().argName("FILE")
                        .desc("write to FILE instead of standard output").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        // The platform and Java first, then the external software by name: a stable order whatever order the
        // modules are found in, so versions.yml files compare across runs.
        Map<String, String> all = new LinkedHashMap<>(new CoreVersions().versions());
        Map<String, String> others = new TreeMap<>();
        for (VersionSource source : ServiceLoader.load(VersionSource.class)) {
            if (!(source instanceof CoreVersions)) {
                others.putAll(source.versions());
            }
        }
        all.putAll(others);
        String process = cmd.getOptionValue("process");
        StringBuilder yaml = new StringBuilder();
        String indent = "";
        if (process != null) {
            yaml.append('"').append(process).append("\":\n");
            indent = "    ";
        }
        for (Map.Entry<String, String> e : all.entrySet()) {
            yaml.append(indent).append(e.getKey()).append(": \"").append(e.getValue().replace("\"", "'")).append("\"\n");
        }
        if (cmd.hasOption("output")) {
            AtomicFiles.writeString(Path.of(cmd.getOptionValue("output")), yaml.toString());
        } else {
            out.print(yaml);
        }
        return ExitCodes.OK;
    }
}
