package org.deepstroke.aspects;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.aspects.AspectsRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/** Bad input gives one stderr line naming the file and the reason, exit 1; misuse exit 2. Tables round-trip. */
class ToolErrorsTest {

    @Test
    void missingInputNamesTheFile(@TempDir Path dir) {
        Result r = deepstroke("aspects-score", "--ct", dir.resolve("nope.nii.gz").toString(), "--labels",
                dir.resolve("l.nii.gz").toString(), "--output-dir", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().strip().endsWith(dir.resolve("nope.nii.gz") + ": no such file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badSideIsAUsageError(@TempDir Path dir) throws Exception {
        Path ct = dir.resolve("ct.nii.gz");
        NiftiWriter.write(new ImageVolume(2, 2, 2, Affine.identity()), ct, NiftiDatatype.INT16);
        Result r = deepstroke("aspects-score", "--ct", ct.toString(), "--labels", ct.toString(), "--output-dir",
                dir.toString(), "--side", "X");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--side expects L, R or auto"), r.err());
    }

    @Test
    void labelMapWithoutRegionsFailsNamingIt(@TempDir Path dir) throws Exception {
        Path ct = dir.resolve("ct.nii.gz");
        ImageVolume air = new ImageVolume(2, 2, 2, Affine.identity());
        java.util.Arrays.fill(air.data(), -1000f);
        NiftiWriter.write(air, ct, NiftiDatatype.INT16);
        Path labels = dir.resolve("labels.nii.gz");
        NiftiWriter.write(new ImageVolume(2, 2, 2, Affine.identity()), labels, NiftiDatatype.UINT8);
        Result r = deepstroke("aspects-score", "--ct", ct.toString(), "--labels", labels.toString(), "--output-dir",
                dir.resolve("out").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(labels + ": no ASPECTS region (ids 1..20) with voxels in the HU window"),
                r.err());
    }

    @Test
    void descriptorTableRoundTrips(@TempDir Path dir) throws Exception {
        Map<AspectsRegion, RegionDescriptors> m = new EnumMap<>(AspectsRegion.class);
        for (AspectsRegion r : AspectsRegion.values()) {
            m.put(r, ScoringTest.desc(r, 20 + r.id() * 0.5));
        }
        Path f = dir.resolve("s_descriptors.tsv");
        DescriptorTable.write(f, "s", new HuInclusionRange(10, 60), m);
        DescriptorTable.Subject back = DescriptorTable.read(f);
        assertEquals("s", back.subject());
        assertEquals(new HuInclusionRange(10, 60), back.window());
        assertEquals(m, back.regions());
        Files.writeString(f, "subject\tregion\n");
        Result r = deepstroke("aspects-calibrate", "--scores", f.toString(), "--truth", f.toString(), "--output",
                dir.resolve("c.yaml").toString());
        assertEquals(1, r.exit());
    }
}
