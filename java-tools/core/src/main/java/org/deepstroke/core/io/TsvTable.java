package org.deepstroke.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.cli.ToolFailure;

/**
 * The small input tables the tools take (cases, pairs): a fixed header, tab-separated, every row with exactly the
 * header's columns, blank lines ignored. A table that is not of that form fails naming the file and the line.
 */
public final class TsvTable {

    private TsvTable() {
    }

    /**
     * The rows below {@code header} (the columns in that order), each with exactly that many cells.
     * @param what the table's kind in messages ("cases", "pairs")
     */
    public static List<String[]> rows(Path file, String what, String... header) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String expected = String.join("\t", header);
        if (lines.isEmpty() || !lines.get(0).strip().equals(expected)) {
            throw new ToolFailure(file, "a " + what + " table starts with the header " + String.join("<TAB>", header));
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] c = lines.get(i).split("\t", -1);
            if (c.length != header.length) {
                throw new ToolFailure(file, "line " + (i + 1) + " has " + c.length + " columns, expected "
                        + header.length);
            }
            rows.add(c);
        }
        return rows;
    }
}
