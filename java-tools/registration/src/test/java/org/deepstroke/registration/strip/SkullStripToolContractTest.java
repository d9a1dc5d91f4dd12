package org.deepstroke.registration.strip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.HostileInputs;
import org.deepstroke.core.testing.InProcessTool;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 against skull-strip: {@code -i X --mask X} used to overwrite the CT and {@code --mask X --stripped X}
 * one output with the other, exit 0; and broken CT files (truncated at 30 offsets) fail cleanly.
 */
class SkullStripToolContractTest {

    @TempDir
    static Path dir;
    static Path ct;

    @BeforeAll
    static void prepare() throws Exception {
        ImageVolume withSkull = NiftiReader.read(ProjectPaths.sharedFile(
                "atlas/ct-template-muschelli-2mm/template_with_skull_2mm.nii.gz"));
        ct = dir.resolve("ct.nii.gz");
        NiftiWriter.write(withSkull, ct, NiftiDatatype.INT16);
    }

    static void assertUsage(Result run, Path named, String reason) {
        assertEquals(2, run.exit(), run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).contains(named.toString()) && lines.get(0).contains(reason), run.err());
    }

    @Test
    void outputsNeverReplaceTheCtOrEachOther() throws Exception {
        Map<Path, String> before = HostileInputs.checksums(ct);
        assertUsage(InProcessTool.deepstroke("skull-strip", "-i", ct.toString(), "--mask", ct.toString()), ct,
                "would overwrite it");
        Path mask = dir.resolve("out/mask.nii.gz");
        assertUsage(InProcessTool.deepstroke("skull-strip", "-i", ct.toString(), "--mask", mask.toString(),
                "--stripped", mask.toString()), mask, "one output would overwrite the other");
        assertUsage(InProcessTool.deepstroke("skull-strip", "-i", ct.toString(), "--mask", mask.toString(),
                "--stats", ct.toString()), ct, "would overwrite it");
        Path txt = dir.resolve("out/mask.txt");
        assertUsage(InProcessTool.deepstroke("skull-strip", "-i", ct.toString(), "--mask", txt.toString()), txt,
                ".nii or .nii.gz");
        assertEquals(before, HostileInputs.checksums(ct));
        assertTrue(!Files.exists(dir.resolve("out")));
    }

    @Test
    void brokenCtFilesFailCleanly() throws Exception {
        byte[] raw = Files.readAllBytes(ct);
        Path fuzz = Files.createDirectories(dir.resolve("fuzz"));
        for (HostileInputs.Case c : HostileInputs.truncations(raw, 30)) {
            Path in = fuzz.resolve(c.name() + ".nii.gz");
            Files.write(in, c.bytes());
            Map<Path, String> before = HostileInputs.checksums(in);
            Path mask = fuzz.resolve(c.name() + "-mask.nii.gz");
            Path stripped = fuzz.resolve(c.name() + "-stripped.nii.gz");
            Result run = InProcessTool.deepstroke("skull-strip", "-i", in.toString(), "--mask", mask.toString(),
                    "--stripped", stripped.toString());
            HostileInputs.assertCleanFailure(c.name(), run, in, List.of(mask, stripped), before);
        }
        HostileInputs.assertNoTemporaries(fuzz);
    }
}
