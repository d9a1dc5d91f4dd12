package org.deepstroke.core.aspects;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the region contract table {@code regions.tsv} (a resource beside this class; main.nf reads the same file)
 * once, and checks that its rows are {@link AspectsRegion.Structure}'s constants in order, so Java, the pipeline
 * and the label ids cannot drift apart.
 */
final class RegionTable {

    record Row(String code, String maskToken, AspectsRegion.Level level, String description) {
    }

    private static final Map<AspectsRegion.Structure, Row> ROWS = load();

    private RegionTable() {
    }

    static Row row(AspectsRegion.Structure structure) {
        return ROWS.get(structure);
    }

    private static Map<AspectsRegion.Structure, Row> load() {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = RegionTable.class.getResourceAsStream("regions.tsv")) {
            if (in == null) {
                throw new IllegalStateException("regions.tsv is missing beside " + RegionTable.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            boolean header = true;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                rows.add(line.split("\t", -1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read regions.tsv", e);
        }
        AspectsRegion.Structure[] structures = AspectsRegion.Structure.values();
        if (rows.size() != structures.length) {
            throw new IllegalStateException("regions.tsv has " + rows.size() + " rows, the contract "
                    + structures.length);
        }
        Map<AspectsRegion.Structure, Row> table = new EnumMap<>(AspectsRegion.Structure.class);
        for (int i = 0; i < structures.length; i++) {
            String[] cells = rows.get(i);
            if (cells.length != 4 || !cells[0].equals(structures[i].name())) {
                throw new IllegalStateException("regions.tsv row " + (i + 1) + " must be " + structures[i].name()
                        + " with 4 columns: " + String.join("|", cells));
            }
            table.put(structures[i], new Row(cells[0], cells[1], AspectsRegion.Level.valueOf(cells[2]), cells[3]));
        }
        return table;
    }
}
