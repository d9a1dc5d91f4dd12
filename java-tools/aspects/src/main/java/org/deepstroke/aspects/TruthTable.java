package org.deepstroke.aspects;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.TsvTable;
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
        TsvTable.Table table = TsvTable.read(file, "truth");
        if (table.header().isEmpty()) {
            throw new ToolFailure(file, "empty truth table");
        }
        String subject = table.firstOf("pseudonym", "subject");
        if (subject == null || !table.has("side") || !table.has("affected_regions")) {
            throw new ToolFailure(file, "truth table needs columns pseudonym (or subject), side, affected_regions");
        }
        Map<String, Truth> out = new LinkedHashMap<>();
        for (TsvTable.Row row : table.rows()) {
            try {
                Set<Structure> affected = EnumSet.noneOf(Structure.class);
                String list = row.get("affected_regions");
                if (!list.isEmpty() && !list.equals("-")) {
                    for (String code : list.split(",")) {
                        affected.add(Structure.valueOf(code.strip().toUpperCase(Locale.ROOT)));
                    }
                }
                String s = row.get("side");
                Side sd = s.equalsIgnoreCase("L") ? Side.L : s.equalsIgnoreCase("R") ? Side.R : null;
                if (sd == null && !affected.isEmpty()) {
                    throw new IllegalArgumentException("affected regions without a side");
                }
                out.put(row.get(subject), new Truth(row.get(subject), sd, affected));
            } catch (RuntimeException e) {
                throw table.failure(row, e.getMessage());
            }
        }
        return out;
    }
}
