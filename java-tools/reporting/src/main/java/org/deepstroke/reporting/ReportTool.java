package org.deepstroke.reporting;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;

/**
 * {@code deepstroke report}: the run summary HTML of a results folder, linking one QC page per subject, with the
 * methods paragraph (versions, citations) and the failed and skipped subjects. Works on whatever stages the run had.
 */
public final class ReportTool implements Tool {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "Run summary HTML (per-subject QC pages, methods with versions and citations, failed/skipped subjects)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("results").hasArg().argName("DIR").required()
                        .desc("the pipeline's results folder (--outdir)").build())
                .addOption(Option.builder("o").longOpt("output-dir").hasArg().argName("DIR").required()
                        .desc("where summary.html, subjects/<subject>.html and report.json go").build())
                .addOption(Option.builder().longOpt("versions").hasArg().argName("YAML")
                        .desc("software_versions.yml (default <results>/pipeline_info/software_versions.yml)").build())
                .addOption(Option.builder().longOpt("nextflow-version").hasArg().argName("VERSION")
                        .desc("Nextflow version for the methods text").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path results = Args.requiredPath(cmd, "results");
        if (!Files.isDirectory(results)) {
            throw new ToolFailure(results, "not a results folder");
        }
        Path versionsFile = cmd.hasOption("versions") ? Args.existingFile(cmd, "versions")
                : results.resolve("pipeline_info/software_versions.yml");
        Path outputDir = Args.requiredPath(cmd, "output-dir");
        ReportWriter writer = new ReportWriter(ResultsInventory.scan(results), RunProblems.read(results),
                SoftwareVersions.read(versionsFile), cmd.getOptionValue("nextflow-version"));
        writer.write(outputDir);
        out.println(outputDir.resolve("summary.html"));
        return ExitCodes.OK;
    }
}
