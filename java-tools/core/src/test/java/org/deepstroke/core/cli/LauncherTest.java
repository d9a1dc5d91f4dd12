package org.deepstroke.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's contract: tool discovery, help, exit codes and one-line errors (in-process). */
class LauncherTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new Launcher(ServiceLoader.load(Tool.class), new PrintWriter(out, true), new PrintWriter(err, true))
                .run(args);
    }

    @Test
    void listsTheCoreTools() {
        assertEquals(0, run("--list"));
        assertTrue(out.toString().contains("nifti-info"), out.toString());
        assertTrue(out.toString().contains("nifti-convert"));
        assertTrue(out.toString().contains("versions"));
    }

    @Test
    void helpOfAToolShowsItsOptionsEvenWithoutRequiredOnes() {
        assertEquals(0, run("nifti-convert", "--help"));
        assertTrue(out.toString().contains("usage: deepstroke nifti-convert"), out.toString());
        assertTrue(out.toString().contains("--datatype"));
        assertEquals("", err.toString());
    }

    @Test
    void missingRequiredOptionIsAUsageErrorOnOneLine() {
        assertEquals(2, run("nifti-info"));
        assertEquals("deepstroke nifti-info: usage error: Missing required option: i (see deepstroke nifti-info --help)\n",
                err.toString());
    }

    @Test
    void unknownToolIsAUsageError() {
        assertEquals(2, run("frobnicate"));
        assertEquals("deepstroke: unknown tool 'frobnicate' (deepstroke --list shows the tools)\n", err.toString());
    }

    @Test
    void badInputFileIsAFailureNamingTheFile() throws Exception {
        Path bogus = dir.resolve("bogus.nii");
        Files.writeString(bogus, "not an image");
        assertEquals(1, run("nifti-info", "-i", bogus.toString()));
        assertEquals("deepstroke nifti-info: error: " + bogus
                + ": file too short for a NIfTI-1 header (12 bytes)\n", err.toString());
    }

    @Test
    void badOptionValueIsAUsageError() throws Exception {
        Path in = dir.resolve("in.nii");
        Files.writeString(in, "x");
        assertEquals(2, run("nifti-convert", "-i", in.toString(), "-o", dir.resolve("o.nii").toString(),
                "--datatype", "complex64"));
        assertTrue(err.toString().startsWith("deepstroke nifti-convert: usage error: unknown datatype 'complex64'"),
                err.toString());
        assertEquals(1, err.toString().lines().count());
    }

    @Test
    void versionsListTheRuntime() {
        assertEquals(0, run("versions", "--process", "TEST"));
        assertTrue(out.toString().startsWith("\"TEST\":\n    deepstroke: \"" + Version.get() + "\"\n    java: \"17"),
                out.toString());
    }
}
