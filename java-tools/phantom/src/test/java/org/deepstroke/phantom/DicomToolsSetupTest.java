package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;

/**
 * The reference DICOM clients: bin/setup/install-dicom-tools.sh (DCMTK) is idempotent and its dcmdump runs; dcm2niix
 * is the venv's, at the version pinned in bin/setup/requirements.txt.
 */
class DicomToolsSetupTest {

    @Test
    void aSecondRunIsAQuickNoOpAndDcmdumpRuns() {
        String script = ProjectPaths.root().resolve("bin/setup/install-dicom-tools.sh").toString();
        String root = ProjectPaths.root().toString();
        Subprocess.check(List.of("bash", script, root), null, Map.of(), Duration.ofMinutes(10));
        long start = System.nanoTime();
        Subprocess.Result again = Subprocess.check(List.of("bash", script, root), null, Map.of(), Duration.ofMinutes(1));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 2, "second run took " + seconds + " s\n" + again.describe());
        assertTrue(again.stdout().contains("DICOM tools:"), again.describe());
        Subprocess.Result dcmdump = Subprocess.check(List.of(DicomRead.tool("dcmdump"), "--version"), null, Map.of(),
                Duration.ofSeconds(30));
        assertTrue(dcmdump.stdout().contains("dcmdump"), dcmdump.describe());
    }

    @Test
    void dcm2niixIsTheVenvsPinnedVersion() throws Exception {
        List<String> pins = Files.readAllLines(ProjectPaths.root().resolve("bin/setup/requirements.txt")).stream()
                .filter(l -> l.startsWith("dcm2niix==")).toList();
        assertEquals(1, pins.size(), "one dcm2niix pin in requirements.txt");
        String version = pins.get(0).substring("dcm2niix==".length()).strip();
        // -v prints the banner and exits 3
        Subprocess.Result r = Subprocess.run(List.of(ProjectPaths.dcm2niix().toString(), "-v"), Duration.ofSeconds(30));
        assertTrue((r.stdout() + r.stderr()).contains("version v" + version + " "), r.describe());
    }
}
