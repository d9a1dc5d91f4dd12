package org.deepstroke.phantom;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: the cohort is never written into the masks' folder it reads (refused before anything is read). */
class PhantomToolContractTest {

    @Test
    void theCohortNeverLandsInTheMasksFolder(@TempDir Path dir) throws Exception {
        Path masks = Files.createDirectories(dir.resolve("masks"));
        Path inside = masks.resolve("cohort");
        Result r = deepstroke("phantom", "--anatomy", "mni", "--aspects-masks", masks.toString(), "--output-dir",
                inside.toString(), "--subjects", "1");
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(inside.toString()) && r.err().contains("lies inside the input folder"), r.err());
        assertFalse(Files.exists(inside));
    }
}
