package org.deepstroke.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.aspects.tools.AspectsCalibrateTool;
import org.deepstroke.aspects.tools.AspectsEvaluateTool;
import org.deepstroke.aspects.tools.AspectsFitTool;
import org.deepstroke.aspects.tools.AspectsScoreTool;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.registration.atlas.AspectsRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one stderr line naming the file and the reason, exit 1; misuse exit 2. Tables round-trip. */
class ToolErrorsTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Launcher(List.of(new AspectsScoreTool(), new AspectsCalibrateTool(), new AspectsFitTool(),
                new AspectsEvaluateTool()), new PrintWriter(out, true), new PrintWriter(err, true)).run(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void missingInputNamesTheFile(@TempDir Path dir) {
        Run r = run("aspects-score", "--ct", dir.resolve("nope.nii.gz").toString(), "--labels",
                dir.resolve("l.nii.gz").toString(), "--output-dir", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().endsWith(dir.resolve("nope.nii.gz") + ": no such file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badSideIsAUsageError(@TempDir Path dir) throws Exception {
        Path ct = dir.resolve("ct.nii.gz");
        NiftiWriter.write(new ImageVolume(2, 2, 2, Affine.identity()), ct, NiftiDatatype.INT16);
        Run r = run("aspects-score", "--ct", ct.toString(), "--labels", ct.toString(), "--output-dir",
                dir.toString(), "--side", "X");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--side expects L, R or auto"), r.err());
    }

    @Test
    void labelMapWithoutRegionsFailsNamingIt(@TempDir Path dir) throws Exception {
        Path ct = dir.resolve("ct.nii.gz");
        NiftiWriter.write(new ImageVolume(2, 2, 2, Affine.identity()), ct, NiftiDatatype.INT16);
        Run r = run("aspects-score", "--ct", ct.toString(), "--labels", ct.toString(), "--output-dir",
                dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(ct + ": no ASPECTS region (ids 1..20) with voxels in the HU window"), r.err());
    }

    @Test
    void descriptorTableRoundTrips(@TempDir Path dir) throws Exception {
        Map<AspectsRegion, RegionDescriptors> m = new EnumMap<>(AspectsRegion.class);
        for (AspectsRegion r : AspectsRegion.values()) {
            m.put(r, ScoringTest.desc(r, 20 + r.id() * 0.5));
        }
        Path f = dir.resolve("s_descriptors.tsv");
        DescriptorTable.write(f, "s", new HuWindow(10, 60), m);
        DescriptorTable.Subject back = DescriptorTable.read(f);
        assertEquals("s", back.subject());
        assertEquals(new HuWindow(10, 60), back.window());
        assertEquals(m, back.regions());
        Files.writeString(f, "subject\tregion\n");
        Run r = run("aspects-calibrate", "--scores", f.toString(), "--truth", f.toString(), "--output",
                dir.resolve("c.yaml").toString());
        assertEquals(1, r.code());
    }
}
