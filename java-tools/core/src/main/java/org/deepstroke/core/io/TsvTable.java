package org.deepstroke.core.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.deepstroke.core.cli.ToolFailure;

/**
 * The tab-separated tables the tools read (cases, pairs, truth, subjects, labels, descriptors): a header row, then
 * rows of exactly the header's cells, blank lines ignored, no quoting (a quote is a character like any other, as
 * the tables are written). Parsed with Apache Commons CSV; every problem is a {@link ToolFailure} naming the file
 * and, for a row, its line. One reader for what 13 hand-written {@code split("\t")} parsers did (issue 19).
 */
public final class TsvTable {

    private static final CSVFormat FORMAT = CSVFormat.TDF.builder().setQuote(null).setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(false).setTrim(false).get();

    /** One data row: its line in the file and its cells, by position or by column name. */
    public record Row(int line, List<String> cells, Map<String, Integer> columns) {
        /** The cell of {@code column}, stripped of surrounding white space. */
        public String get(String column) {
            Integer i = columns.get(column);
            if (i == null) {
                throw new IllegalArgumentException("no column " + column);
            }
            return cells.get(i).strip();
        }

        public String get(int index) {
            return cells.get(index).strip();
        }
    }

    /** A whole table: its file, header and rows. */
    public record Table(Path file, List<String> header, List<Row> rows) {
        /** Fails naming the file when the file held no header (it was empty or blank). */
        public Table requireHeader(String expected) {
            if (header.isEmpty()) {
                throw new ToolFailure(file, "empty table (expected a header: " + expected + ")");
            }
            return this;
        }

        public boolean has(String column) {
            return header.contains(column);
        }

        /** Fails naming the file unless every column is in the header. */
        public Table require(String... columns) {
            for (String c : columns) {
                if (!header.contains(c)) {
                    throw new ToolFailure(file, "missing column '" + c + "' (header: " + String.join(", ", header)
                            + ")");
                }
            }
            return this;
        }

        /** The first of {@code columns} the header has, or null. */
        public String firstOf(String... columns) {
            for (String c : columns) {
                if (header.contains(c)) {
                    return c;
                }
            }
            return null;
        }

        /** A failure naming the file and the row's line. */
        public ToolFailure failure(Row row, String reason) {
            return new ToolFailure(file, "line " + row.line() + ": " + reason);
        }
    }

    private TsvTable() {
    }

    /**
     * Reads a table.
     * @param what the table's kind in messages ("cases", "truth")
     */
    public static Table read(Path file, String what) {
        List<String> header;
        List<Row> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get()) {
            Map<String, Integer> columns = new HashMap<>();
            header = null;
            for (CSVRecord record : parser) {
                // the parser's line count after a record is that record's last line (no quoting: one line a record)
                int line = (int) parser.getCurrentLineNumber();
                List<String> cells = record.toList();
                if (cells.stream().allMatch(String::isBlank)) {
                    continue; // a line of white space only: blank
                }
                if (header == null) {
                    header = cells.stream().map(String::strip).toList();
                    for (int i = 0; i < header.size(); i++) {
                        columns.putIfAbsent(header.get(i), i);
                    }
                    continue;
                }
                if (cells.size() != header.size()) {
                    throw new ToolFailure(file, "line " + line + " has " + cells.size() + " columns, expected "
                            + header.size());
                }
                rows.add(new Row(line, cells, columns));
            }
            if (header == null) {
                header = List.of(); // an empty file: the caller says what it expected (Table#requireHeader)
            }
        } catch (NoSuchFileException e) {
            throw new ToolFailure(file, "no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ToolFailure(file, "cannot read the " + what + " table: " + e.getMessage());
        }
        return new Table(file, header, List.copyOf(rows));
    }

    /**
     * The rows below {@code header} (the columns in that order), each with exactly that many cells.
     * @param what the table's kind in messages ("cases", "pairs")
     */
    public static List<String[]> rows(Path file, String what, String... header) {
        Table t = read(file, what);
        if (!t.header().equals(List.of(header))) {
            throw new ToolFailure(file, "a " + what + " table starts with the header " + String.join("<TAB>", header));
        }
        return t.rows().stream().map(r -> r.cells().toArray(String[]::new)).toList();
    }
}
