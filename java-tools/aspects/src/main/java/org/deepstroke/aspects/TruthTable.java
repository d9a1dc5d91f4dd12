package org.deepstroke.aspects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * Reference ASPECTS per subject from a table with columns {@code pseudonym} (or {@code subject}), {@code side}
 * (L, R, or none), {@code affected_regions} (platform codes, comma-separated, '-' for none): the phantom's
 * cohort.tsv, or a rater's table in the same form.
 */
public final class TruthTable {

    /** One subject's truth; side null when no region is affected. */
    public record Truth(String subject, Side side, Set<Structure> affected) {
        public int aspects() {
            return 10 - affected.size();
        }

        /** Whether the region of {@code structure} on {@code hemisphere} is affected. */
        public boolean affected(Structure structure, Side hemisphere) {
            return side == hemisphere && affected.contains(structure);
        }
    }

    private TruthTable() {
    }

    public static Map<String, Truth> read(List<Path> files) {
        Map<String, Truth> out = new LinkedHashMap<>();
        for (Path f : files) {
            out.putAll(read(f));
        }
        return out;
    }

    public static Map<String, Truth> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ToolFailure(file, "not readable: " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new ToolFailure(file, "empty truth table");
        }
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        int subject = header.indexOf("pseudonym") >= 0 ? header.indexOf("pseudonym") : header.indexOf("subject");
        int side = header.indexOf("side");
        int regions = header.indexOf("affected_regions");
        if (subject < 0 || side < 0 || regions < 0) {
            throw new ToolFailure(file, "truth table needs columns pseudonym (or subject), side, affected_regions");
        }
        Map<String, Truth> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] c = lines.get(i).split("\t", -1);
            try {
                Set<Structure> affected = EnumSet.noneOf(Structure.class);
                String list = c[regions].strip();
                if (!list.isEmpty() && !list.equals("-")) {
                    for (String code : list.split(",")) {
                        affected.add(Structure.valueOf(code.strip().toUpperCase(Locale.ROOT)));
                    }
                }
                String s = c[side].strip();
                Side sd = s.equalsIgnoreCase("L") ? Side.L : s.equalsIgnoreCase("R") ? Side.R : null;
                if (sd == null && !affected.isEmpty()) {
                    throw new IllegalArgumentException("affected regions without a side");
                }
                out.put(c[subject].strip(), new Truth(c[subject].strip(), sd, affected));
            } catch (RuntimeException e) {
                throw new ToolFailure(file, "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
