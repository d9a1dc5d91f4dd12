package org.deepstroke.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.cli.ToolFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsvTableTest {

    @TempDir
    Path dir;

    @Test
    void rowsByColumnWithTheirLinesBlankLinesSkippedQuotesKept() throws Exception {
        Path f = Files.writeString(dir.resolve("t.tsv"), "subject\tside\tnote\n\nsub-a\tL\t\"as written\n"
                + " \t \n" + "sub-b\tR\t x \r\n");
        TsvTable.Table t = TsvTable.read(f, "truth");
        assertEquals(List.of("subject", "side", "note"), t.header());
        assertEquals(2, t.rows().size());
        assertEquals(3, t.rows().get(0).line());
        assertEquals("\"as written", t.rows().get(0).get("note"));
        assertEquals(5, t.rows().get(1).line());
        assertEquals("x", t.rows().get(1).get("note"));
        assertEquals("R", t.rows().get(1).get(1));
    }

    @Test
    void problemsNameTheFileAndTheLine() throws Exception {
        Path f = Files.writeString(dir.resolve("short.tsv"), "a\tb\n1\t2\n\n3\n");
        ToolFailure e = assertThrows(ToolFailure.class, () -> TsvTable.read(f, "pairs"));
        assertTrue(e.getMessage().contains("line 4 has 1 columns, expected 2"), e.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.tsv"), "\n");
        e = assertThrows(ToolFailure.class, () -> TsvTable.read(empty, "cases").requireHeader("a, b"));
        assertTrue(e.getMessage().contains("empty table (expected a header: a, b)"), e.getMessage());
        e = assertThrows(ToolFailure.class, () -> TsvTable.read(dir.resolve("none.tsv"), "cases"));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        Path ok = Files.writeString(dir.resolve("ok.tsv"), "a\tb\n1\t2\n");
        e = assertThrows(ToolFailure.class, () -> TsvTable.read(ok, "cases").require("a", "c"));
        assertTrue(e.getMessage().contains("missing column 'c' (header: a, b)"), e.getMessage());
        e = assertThrows(ToolFailure.class, () -> TsvTable.rows(ok, "cases", "a", "c"));
        assertTrue(e.getMessage().contains("a cases table starts with the header a<TAB>c"), e.getMessage());
    }
}
