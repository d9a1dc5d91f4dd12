package org.deepstroke.ingest.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.ingest.dicom.Part10;
import org.deepstroke.ingest.scan.FileSetId;
import org.deepstroke.ingest.scan.SeriesFiles;

/** The series a conversion tool reads: a scan's file list with its roots, or DICOM files/folders given directly. */
final class SeriesInputs {

    private SeriesInputs() {
    }

    static Options addOptions(Options options) {
        return options
                .addOption(Option.builder().longOpt("files").hasArg().argName("FILE")
                        .desc("the scan's series/<series>.files list").build())
                .addOption(Option.builder().longOpt("root").hasArgs()
                        .desc("file-set roots for --files: ID=DIR (the scan's fs-... id) or DIR (id from its DICOMDIR); "
                                + "repeat or comma-separate").argName("[ID=]DIR")
                        .build())
                .addOption(Option.builder().longOpt("dicom").hasArgs().argName("PATH")
                        .desc("instead of --files: DICOM files or folders (walked; Part 10 files) of one series").build())
                .addOption(Option.builder().longOpt("rules").hasArg().argName("YAML")
                        .desc("ingest rules (convert section; default: built-in params/ingest-rules.yaml)").build());
    }

    static List<Path> files(CommandLine cmd) throws IOException {
        if (cmd.hasOption("files") == cmd.hasOption("dicom")) {
            throw new UsageError("give either --files (with --root) or --dicom");
        }
        if (cmd.hasOption("files")) {
            List<String> roots = new ArrayList<>();
            if (cmd.getOptionValues("root") != null) {
                for (String v : cmd.getOptionValues("root")) {
                    for (String part : v.split(",")) {
                        if (!part.isBlank()) {
                            roots.add(part.strip());
                        }
                    }
                }
            }
            if (roots.isEmpty()) {
                throw new UsageError("--files needs --root (the file-set roots the list names)");
            }
            Map<String, Path> byId = FileSetId.roots(roots);
            Path list = Path.of(cmd.getOptionValue("files"));
            if (!Files.isRegularFile(list)) {
                throw new ToolFailure(list, "no such file");
            }
            return SeriesFiles.resolve(SeriesFiles.read(list), byId);
        }
        List<Path> files = new ArrayList<>();
        for (String v : cmd.getOptionValues("dicom")) {
            Path p = Path.of(v);
            if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p.toRealPath())) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        if (!f.getFileName().toString().equalsIgnoreCase("DICOMDIR") && Part10.hasPreamble(f)) {
                            files.add(f);
                        }
                    }
                }
            } else {
                throw new ToolFailure(p, "no such file or folder");
            }
        }
        if (files.isEmpty()) {
            throw new ToolFailure("no DICOM files found in --dicom");
        }
        return files;
    }

    /**
     * Registers what a conversion tool reads with the output guard, before anything is read: the file list, the
     * rules, --dicom files (inputs) and folders, and the file-set roots (folders no output may be written into).
     */
    static OutputGuard guardInputs(CommandLine cmd, OutputGuard guard) {
        if (cmd.hasOption("files")) {
            guard.input("files", Path.of(cmd.getOptionValue("files")));
        }
        if (cmd.hasOption("rules")) {
            guard.input("rules", Path.of(cmd.getOptionValue("rules")));
        }
        for (String v : values(cmd, "root")) {
            int eq = v.indexOf('=');
            String dir = eq > 0 && FileSetId.valid(v.substring(0, eq)) ? v.substring(eq + 1) : v;
            guard.inputFolder("root", Path.of(dir));
        }
        for (String v : values(cmd, "dicom")) {
            Path p = Path.of(v);
            if (Files.isDirectory(p)) {
                guard.inputFolder("dicom", p);
            } else {
                guard.input("dicom", p);
            }
        }
        return guard;
    }

    private static List<String> values(CommandLine cmd, String option) {
        List<String> out = new ArrayList<>();
        if (cmd.getOptionValues(option) != null) {
            for (String v : cmd.getOptionValues(option)) {
                for (String part : option.equals("dicom") ? new String[] {v} : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
            }
        }
        return out;
    }

    /** {@code x.nii.gz} -> {@code x.json} (and .nii likewise). */
    static Path sibling(Path nifti, String suffix) {
        String name = nifti.getFileName().toString().replaceAll("\\.nii(\\.gz)?$", "");
        return nifti.resolveSibling(name + suffix);
    }
}
