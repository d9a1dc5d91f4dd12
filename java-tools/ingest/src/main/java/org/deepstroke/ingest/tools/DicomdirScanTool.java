package org.deepstroke.ingest.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.rules.IngestRules;
import org.deepstroke.ingest.scan.DicomDirScanner;
import org.deepstroke.ingest.scan.Manifest;
import org.deepstroke.ingest.scan.ScanInput;

/** {@code deepstroke dicomdir-scan}: DICOMDIR file-sets to a pseudonymous per-series manifest with NCCT decisions. */
public final class DicomdirScanTool implements Tool {

    @Override
    public String name() {
        return "dicomdir-scan";
    }

    @Override
    public String summary() {
        return "Scan DICOMDIR file-sets (headers only): one manifest row per series, accepted/rejected as NCCT, pseudonymous";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("i").longOpt("input").hasArgs().argName("DIR|DICOMDIR").required()
                        .desc("file-set root (folder holding DICOMDIR) or a DICOMDIR file; repeat or comma-separate "
                                + "for several (ids fs- + 12 hex of the DICOMDIR's SHA-256; scan-report.json roots[] in this order)")
                        .build())
                .addOption(Option.builder("o").longOpt("output").hasArg().argName("DIR").required()
                        .desc("writes DIR/manifest.tsv, DIR/series/<series>.files, DIR/scan-report.json").build())
                .addOption(Option.builder().longOpt("rules").hasArg().argName("YAML")
                        .desc("ingest rules (default: the built-in copy of params/ingest-rules.yaml)").build())
                .addOption(Option.builder().longOpt("folders")
                        .desc("also scan roots without a DICOMDIR by walking them (Part 10 files only)").build())
                .addOption(Option.builder().longOpt("pseudonym-key-file").hasArg().argName("FILE")
                        .desc("file holding the secret pseudonymisation key (default: env "
                                + Pseudonymizer.KEY_ENV + ")").build())
                .addOption(CommonOptions.threads("header-reading threads (default 2)"));
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        List<Path> given = new ArrayList<>();
        for (String v : cmd.getOptionValues("input")) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    given.add(Path.of(part.strip()));
                }
            }
        }
        if (given.isEmpty()) {
            throw new UsageError("--input needs at least one file-set");
        }
        Path output = Args.requiredPath(cmd, "output");
        OutputGuard guard = OutputGuard.create();
        for (Path p : given) {
            guard.inputFolder("input", Files.isRegularFile(p) ? p.toAbsolutePath().getParent() : p);
        }
        guard.input("rules", Args.optionalPath(cmd, "rules"))
                .outputFolder("output", output).check();
        int threads = Args.intValue(cmd, "threads", 2);
        Pseudonymizer pseudonyms = PseudonymKey.load(cmd.getOptionValue("pseudonym-key-file"), System.getenv());
        IngestRules rules = IngestRules.load(Args.optionalPath(cmd, "rules"));
        boolean folders = cmd.hasOption("folders");
        List<ScanInput> inputs = DicomDirScanner.inputs(given, folders);
        DicomDirScanner scanner = new DicomDirScanner(DicomSource.pixelMed(), rules, pseudonyms, threads,
                line -> System.err.println("dicomdir-scan: " + line));
        DicomDirScanner.Result result = scanner.scan(inputs, folders);
        Manifest.write(output, result.series());
        String report = Json.MAPPER.writeValueAsString(result.report());
        AtomicFiles.writeString(output.resolve("scan-report.json"), report + "\n");
        System.err.println("dicomdir-scan: " + result.series().size() + " series " + result.report().get("series_by_decision")
                + ", " + result.report().get("headers_read") + " headers in " + result.report().get("seconds") + " s");
        return ExitCodes.OK;
    }
}
