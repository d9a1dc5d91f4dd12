package org.deepstroke.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void plainLinesWhenNotOnATerminal() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Progress p = new Progress("slices", 4, new PrintStream(buffer, true), false, Duration.ZERO)) {
            for (int i = 0; i < 4; i++) {
                p.advance(1);
            }
        }
        String[] lines = buffer.toString().split("\n");
        assertEquals(5, lines.length, buffer.toString()); // one per step (interval 0) + the closing line
        assertTrue(lines[1].startsWith("slices 2/4 (50%)"), lines[1]);
        assertTrue(lines[4].startsWith("slices 4/4 (100%)"), lines[4]);
    }

    @Test
    void aBarOnATerminal() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Progress p = new Progress("iter", 2, new PrintStream(buffer, true), true, Duration.ofSeconds(10))) {
            p.advance(2);
        }
        assertTrue(buffer.toString().startsWith("\riter [" + "#".repeat(30) + "] 2/2 (100%)"), buffer.toString());
        assertTrue(buffer.toString().endsWith("\n"));
    }

    @Test
    void aTotalLearntAsTheWorkGoes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (Progress p = new Progress("files", 0, new PrintStream(buffer, true), false, Duration.ZERO)) {
            p.extend(2);
            p.advance(2);
            p.extend(3);
            p.advance(1);
        }
        String[] lines = buffer.toString().split("\n");
        assertTrue(lines[0].startsWith("files 2/2 (100%)"), lines[0]);
        assertTrue(lines[1].startsWith("files 3/5 (60%)"), lines[1]);
    }
}
