package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;

/** bin/setup/install-dicom-tools.sh: idempotent, and the tools it provides run. */
class DicomToolsSetupTest {

    @Test
    void aSecondRunIsAQuickNoOpAndTheToolsRun() {
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
        Subprocess.Result dcm2niix = Subprocess.run(List.of(DicomRead.tool("dcm2niix"), "-v"), Duration.ofSeconds(30));
        assertTrue((dcm2niix.stdout() + dcm2niix.stderr()).contains("v1."), dcm2niix.describe());
    }
}
