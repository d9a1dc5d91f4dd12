package org.deepstroke.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.aspects.tools.DefaultCutPoints;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CutPointsTest {

    /** The public atlas' "IC" is the insula (our I), its "InCa" the internal capsule (our IC), "LN" our L. */
    @Test
    void publicTokensMapOntoPlatformCodes() {
        CutPoints c = CutPoints.publicDefaults(new HuInclusionRange(1, 250));
        assertEquals(0.871, c.of(Structure.I), 0);
        assertEquals(0.949, c.of(Structure.IC), 0);
        assertEquals(0.930, c.of(Structure.L), 0);
        assertEquals(0.916, c.of(Structure.C), 0);
        assertEquals(0.859, c.of(Structure.M2), 0);
        assertEquals(0.957, c.of(Structure.M4), 0);
    }

    @Test
    void paramsFileIsTheBuiltInCopyAndHoldsThePublicFigures() throws Exception {
        String params = Files.readString(ProjectPaths.root().resolve("params/aspects-cutpoints.yaml"));
        assertEquals(params, DefaultCutPoints.text(), "keep params/aspects-cutpoints.yaml and the built-in copy equal");
        CutPoints c = DefaultCutPoints.load();
        CutPoints expected = CutPoints.publicDefaults(c.window());
        for (Structure s : Structure.values()) {
            assertEquals(expected.of(s), c.of(s), 0, s.name());
        }
    }

    @Test
    void phantomCalibratedCutPointsParseInTheSameWindow() throws Exception {
        CutPoints c = CutPoints.read(ProjectPaths.root().resolve("params/aspects-cutpoints-phantom.yaml"));
        assertEquals(DefaultCutPoints.load().window(), c.window());
        assertEquals(0.9554, c.of(Structure.I), 0);
        assertEquals(0.9625, c.of(Structure.IC), 0);
        // the v2 file (test and demo profiles): derived on the independent anatomy's tuning cohort, same window
        CutPoints v2 = CutPoints.read(ProjectPaths.root().resolve("params/aspects-cutpoints-phantom-v2.yaml"));
        assertEquals(DefaultCutPoints.load().window(), v2.window());
        assertEquals(0.9539, v2.of(Structure.I), 0);
        assertEquals(0.9763, v2.of(Structure.M5), 0);
    }

    @Test
    void yamlRoundTrip(@TempDir Path dir) throws Exception {
        CutPoints c = CutPoints.publicDefaults(new HuInclusionRange(10, 60));
        Path f = dir.resolve("c.yaml");
        c.write(f, "test\nsecond line");
        CutPoints back = CutPoints.read(f);
        assertEquals(new HuInclusionRange(10, 60), back.window());
        for (Structure s : Structure.values()) {
            assertEquals(c.of(s), back.of(s), 1e-4);
        }
        assertTrue(Files.readString(f).startsWith("# test\n# second line\n"));
    }

    @Test
    void publicTokensAndMissingRegionsAreRejected(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "hu_window: {low: 1, high: 250}\ncutpoints: {InCa: 0.9}\n");
        ToolFailure e = assertThrows(ToolFailure.class, () -> CutPoints.read(f));
        assertTrue(e.oneLine().startsWith(f + ": unknown region 'InCa'"), e.oneLine());
        Files.writeString(f, "hu_window: {low: 1, high: 250}\ncutpoints: {C: 0.9}\n");
        assertTrue(assertThrows(ToolFailure.class, () -> CutPoints.read(f)).oneLine().contains("cut-point of L missing"));
    }
}
