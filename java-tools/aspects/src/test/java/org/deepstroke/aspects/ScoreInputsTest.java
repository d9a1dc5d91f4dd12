package org.deepstroke.aspects;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 8: aspects-score refuses float labels (5.5 was rounded to 6), label ids beyond the scheme (> 20 was
 * a warning) and a label map given as --ct (was scored ASPECTS 9, exit 0): exit 1, one line naming the file.
 */
class ScoreInputsTest {

    @TempDir
    Path dir;

    /** A 12^3 CT: air around a 40 HU block; and labels 1 (left caudate) and 11 (right caudate) inside. */
    Path ct() throws Exception {
        ImageVolume ct = new ImageVolume(12, 12, 12, Affine.identity());
        java.util.Arrays.fill(ct.data(), -1000f);
        for (int z = 2; z < 10; z++) {
            for (int y = 2; y < 10; y++) {
                for (int x = 2; x < 10; x++) {
                    ct.set(x, y, z, 40f);
                }
            }
        }
        Path f = dir.resolve("ct.nii.gz");
        NiftiWriter.write(ct, f, NiftiDatatype.INT16);
        return f;
    }

    Path labels(String name, float left, float right) throws Exception {
        ImageVolume l = new ImageVolume(12, 12, 12, Affine.identity());
        for (int z = 3; z < 9; z++) {
            for (int y = 3; y < 9; y++) {
                for (int x = 3; x < 9; x++) {
                    l.set(x, y, z, x < 6 ? left : right);
                }
            }
        }
        Path f = dir.resolve(name);
        NiftiWriter.write(l, f, NiftiDatatype.FLOAT32);
        return f;
    }

    void assertRefused(Result r, Path file, String reason) {
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(file + ": ") && r.err().contains(reason), r.err());
        assertFalse(Files.exists(dir.resolve("out/s_aspects.tsv")));
    }

    @Test
    void fractionalLabelsAreRefused() throws Exception {
        Path ct = ct();
        Path l = labels("frac.nii.gz", 5.5f, 11f);
        assertRefused(deepstroke("aspects-score", "--ct", ct.toString(), "--labels", l.toString(), "--subject", "s",
                "--output-dir", dir.resolve("out").toString()), l, "label value 5.5");
    }

    @Test
    void idsBeyondTheSchemeAreRefused() throws Exception {
        Path ct = ct();
        Path l = labels("ids.nii.gz", 1f, 27f);
        assertRefused(deepstroke("aspects-score", "--ct", ct.toString(), "--labels", l.toString(), "--subject", "s",
                "--output-dir", dir.resolve("out").toString()), l, "label id 27");
    }

    @Test
    void aLabelMapGivenAsCtIsRefused() throws Exception {
        Path l = labels("as-ct.nii.gz", 1f, 11f);
        assertRefused(deepstroke("aspects-score", "--ct", l.toString(), "--labels", l.toString(), "--subject", "s",
                "--output-dir", dir.resolve("out").toString()), l, "a label map, not a CT");
    }

    @Test
    void theValidPairStillScores() throws Exception {
        Path ct = ct();
        Path l = labels("ok.nii.gz", 1f, 11f);
        Result r = deepstroke("aspects-score", "--ct", ct.toString(), "--labels", l.toString(), "--subject", "s",
                "--side", "L", "--output-dir", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.err());
    }
}
