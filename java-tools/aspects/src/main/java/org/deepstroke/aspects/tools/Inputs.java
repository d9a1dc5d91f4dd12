package org.deepstroke.aspects.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.deepstroke.aspects.DescriptorTable;
import org.deepstroke.aspects.HuInclusionRange;
import org.deepstroke.aspects.TruthTable;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.OutputGuard;

/** Shared option handling of the cohort-level ASPECTS tools: repeatable or comma-separated path lists. */
final class Inputs {

    private Inputs() {
    }

    static List<Path> paths(CommandLine cmd, String option) {
        String[] values = cmd.getOptionValues(option);
        if (values == null || values.length == 0) {
            throw new UsageError("missing required option --" + option);
        }
        List<Path> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(Path.of(part.strip()));
                }
            }
        }
        return out;
    }

    /**
     * A guard knowing this command's inputs: the --truth tables, the --scores files and folders (no output may be
     * written into one) and {@code more} single-file options; the tool adds its outputs and checks (issue 16).
     */
    static OutputGuard guard(CommandLine cmd, String... more) {
        OutputGuard guard = OutputGuard.create().inputs("truth", paths(cmd, "truth"));
        for (Path p : paths(cmd, "scores")) {
            if (java.nio.file.Files.isDirectory(p)) {
                guard.inputFolder("scores", p);
            } else {
                guard.input("scores", p);
            }
        }
        for (String option : more) {
            String v = cmd.getOptionValue(option);
            guard.input(option, v == null ? null : Path.of(v));
        }
        return guard;
    }

    static Map<String, TruthTable.Truth> truth(CommandLine cmd) {
        List<Path> files = paths(cmd, "truth");
        for (Path f : files) {
            if (!java.nio.file.Files.isRegularFile(f)) {
                throw new ToolFailure(f, "no such truth table");
            }
        }
        return TruthTable.read(files);
    }

    /** The descriptors of the subjects that have a truth row; fails when none do or windows differ. */
    static Map<String, DescriptorTable.Subject> labelledDescriptors(List<Path> inputs,
            Map<String, TruthTable.Truth> truth) {
        Map<String, DescriptorTable.Subject> all = DescriptorTable.readAll(inputs);
        all.keySet().retainAll(truth.keySet());
        if (all.isEmpty()) {
            throw new ToolFailure(inputs.get(0), "no *_descriptors.tsv of a subject listed in the truth table");
        }
        Set<HuInclusionRange> windows = new HashSet<>();
        all.values().forEach(s -> windows.add(s.window()));
        if (windows.size() > 1) {
            throw new ToolFailure(inputs.get(0), "descriptors measured in different HU windows: " + windows);
        }
        return all;
    }
}
