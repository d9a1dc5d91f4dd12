package org.deepstroke.reporting.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.reporting.ReportWriter;
import org.deepstroke.reporting.ResultsInventory;
import org.deepstroke.reporting.RunProblems;
import org.deepstroke.reporting.SoftwareVersions;

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
        guard(results, versionsFile, outputDir);
        ReportWriter writer = new ReportWriter(ResultsInventory.scan(results), RunProblems.read(results),
                SoftwareVersions.read(versionsFile), cmd.getOptionValue("nextflow-version"));
        writer.write(outputDir);
        out.println(outputDir.resolve("summary.html"));
        return ExitCodes.OK;
    }

    /**
     * The report may go inside the results folder it reads only under results/reports (where the pipeline publishes
     * it, and which the inventory skips): written into the results folder itself or a stage folder, its pages would
     * mix with the stages' outputs (issue 16: every tool refuses outputs among its inputs). Its files may not be
     * the --versions file either.
     */
    static void guard(Path results, Path versionsFile, Path outputDir) {
        OutputGuard.create().inputFolder("results", results, Set.of("reports")).input("versions", versionsFile)
                .outputFolder("output-dir", outputDir)
                .output("output-dir", outputDir.resolve("summary.html"))
                .output("output-dir", outputDir.resolve("report.json")).check();
    }
}
