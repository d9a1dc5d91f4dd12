package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 14 item 2: the scan range cut short at the vertex or the skull base, in the drawn shares and ranges. */
class FovCutTest {

    @Test
    void aboutOneSubjectInSevenLosesTheVertexAndOneInSevenTheSkullBaseNeverBoth() {
        int vertex = 0;
        int base = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            FovCut c = FovCut.draw(Seeds.random(1, "subject", i, "fov"));
            assertTrue(c.vertexMm() == 0 || c.baseMm() == 0, c.toString());
            if (c.vertexMm() > 0) {
                vertex++;
                assertTrue(c.vertexMm() >= 10 && c.vertexMm() <= 40, c.toString());
            }
            if (c.baseMm() > 0) {
                base++;
                assertTrue(c.baseMm() >= 15 && c.baseMm() <= 45, c.toString());
            }
        }
        // binomial(2000, 0.15): mean 300, sd 16
        assertEquals(0.15, vertex / (double) n, 0.025);
        assertEquals(0.15, base / (double) n, 0.025);
    }

    @Test
    void theCutShortensTheTableRangeAtItsEnd() {
        assertArrayEquals(new double[] {-80, 70}, new FovCut(30, 0).apply(new double[] {-80, 100}), 1e-12);
        assertArrayEquals(new double[] {-60, 100}, new FovCut(0, 20).apply(new double[] {-80, 100}), 1e-12);
        assertArrayEquals(new double[] {-80, 100}, FovCut.NONE.apply(new double[] {-80, 100}), 1e-12);
    }

    @Test
    void theTestAndDemoCohortsDrawTheirCutsFromTheirOwnStream() {
        // seed 1 (test and demo profiles): the test's subjects 0-2 uncut; the demo's subject 4 loses 26.6 mm at the
        // vertex (`phantom --seed 1 --subjects 10 --matrix 256`: its brain reaches the last slice), subject 9 of
        // that run 31 mm at the skull base (brain in the first slice)
        for (int i = 0; i < 3; i++) {
            assertEquals(FovCut.NONE, FovCut.draw(Seeds.random(1, "subject", i, "fov")), "subject " + i);
        }
        assertEquals(new FovCut(26.6, 0), FovCut.draw(Seeds.random(1, "subject", 4, "fov")));
        assertEquals(new FovCut(15.3, 0), FovCut.draw(Seeds.random(1, "subject", 7, "fov")));
        assertEquals(new FovCut(0, 31.0), FovCut.draw(Seeds.random(1, "subject", 9, "fov")));
    }
}
