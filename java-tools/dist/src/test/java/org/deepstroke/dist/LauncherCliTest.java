package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** bin/deepstroke as users and Nextflow tasks run it: a real subprocess on the built jars. */
class LauncherCliTest {

    @TempDir
    Path dir;

    static Subprocess.Result deepstroke(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProjectPaths.root().resolve("bin/deepstroke").toString());
        command.addAll(List.of(args));
        return Subprocess.run(command, null, Map.of(), Duration.ofMinutes(2));
    }

    static List<String> toolNames() {
        Subprocess.Result list = deepstroke("--list");
        assertEquals(0, list.exit(), list.describe());
        return list.stdout().lines().map(l -> l.split("\\s+")[0]).toList();
    }

    @Test
    void listsEveryToolOnce() {
        List<String> names = toolNames();
        assertTrue(names.containsAll(List.of("nifti-info", "nifti-convert", "versions")), names.toString());
        // the DL4J family's tools too (they run on another class path)
        assertTrue(names.containsAll(List.of("train", "predict", "unet-evaluate")), names.toString());
        // and every light module's (--list once ran on the DL4J class path alone and showed none of these)
        assertTrue(names.containsAll(List.of("phantom", "dicomdir-scan", "dicom-to-nifti", "register", "atlas",
                "curate-dataset", "aspects-score", "aspects-scan", "report")), names.toString());
        assertEquals(names.stream().distinct().count(), names.size());
    }

    @TestFactory
    Stream<DynamicTest> everyToolHasHelp() {
        return toolNames().stream().map(tool -> DynamicTest.dynamicTest(tool, () -> {
            Subprocess.Result help = deepstroke(tool, "--help");
            assertEquals(0, help.exit(), help.describe());
            assertTrue(help.stdout().startsWith("usage: deepstroke " + tool), help.stdout());
            assertEquals("", help.stderr());
        }));
    }

    @Test
    void versionFlag() {
        Subprocess.Result r = deepstroke("--version");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().matches("deepstroke \\d+\\.\\d+\\.\\d+\\n"), r.stdout());
    }

    @Test
    void usageErrorExitsTwoWithOneLine() {
        Subprocess.Result r = deepstroke("nifti-info", "--no-such-option");
        assertEquals(2, r.exit(), r.describe());
        assertEquals("deepstroke nifti-info: usage error: Unrecognized option: --no-such-option "
                + "(see deepstroke nifti-info --help)\n", r.stderr());
        Subprocess.Result none = deepstroke();
        assertEquals(2, none.exit());
        assertEquals(1, none.stderr().lines().count());
    }

    @Test
    void badInputExitsOneNamingTheFile() {
        Path missing = dir.resolve("missing.nii.gz");
        Subprocess.Result r = deepstroke("nifti-info", "--input", missing.toString());
        assertEquals(1, r.exit(), r.describe());
        assertEquals("deepstroke nifti-info: error: " + missing + ": no such file\n", r.stderr());
    }

    @Test
    void versionsReportTheAntsInUse() {
        Subprocess.Result r = deepstroke("versions");
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.stdout().matches("(?s).*\nants: \"\\d+\\.\\d+\\.\\d+[^\"]*\"\n.*"), r.stdout());
    }

    @Test
    void convertsBetweenCompressedAndPlainKeepingEveryVoxel() {
        Path in = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/structures_2mm.nii.gz");
        Path plain = dir.resolve("structures.nii");
        Subprocess.Result r = deepstroke("nifti-convert", "-i", in.toString(), "-o", plain.toString(), "-t", "uint8");
        assertEquals(0, r.exit(), r.describe());
        String before = deepstroke("nifti-info", "-i", in.toString()).stdout();
        String after = deepstroke("nifti-info", "-i", plain.toString()).stdout();
        // Same grid and statistics; the file name and datatype differ, and the writer sets the sform (from the
        // input's qform) alongside the qform.
        assertTrue(before.contains("\"sform_code\" : 0"), before);
        assertTrue(after.contains("\"sform_code\" : 1"), after);
        assertEquals(strip(before), strip(after));
    }

    private static String strip(String json) {
        return json.lines().filter(l -> !l.contains("\"file\"") && !l.contains("\"datatype\"") && !l.contains("sform_code"))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
