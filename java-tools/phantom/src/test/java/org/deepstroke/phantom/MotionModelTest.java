package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepstroke.core.image.Affine;
import org.junit.jupiter.api.Test;

/** Issue 14 item 3: the head-motion draws, their path in time and the in-plane rigid transform (no images). */
class MotionModelTest {

    @Test
    void theDrawsStayInTheirRangesAndAQuarterSettle() {
        int settles = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            Motion m = Motion.draw(Seeds.random(1, "subject", i, "motion"));
            assertTrue(m.moves(), m.toString());
            assertTrue(m.startFraction() >= 0.1 && m.startFraction() <= 0.9, m.toString());
            assertTrue(m.slices() >= 1 && m.slices() <= 6, m.toString());
            assertTrue(Math.abs(m.rotationDeg()) >= 1 && Math.abs(m.rotationDeg()) <= 4, m.toString());
            double shift = Math.hypot(m.shiftColumnsMm(), m.shiftRowsMm());
            assertTrue(shift >= 0.99 && shift <= 5.01, m.toString());
            assertTrue(m.positions() >= 3 && m.positions() <= 5, m.toString());
            settles += m.settles() ? 1 : 0;
        }
        // binomial(2000, 0.25): mean 500, sd 19
        assertEquals(0.25, settles / (double) n, 0.03);
    }

    @Test
    void aTransientRunReturnsASettlingOneRestsToTheEnd() {
        Motion transient_ = new Motion(0.5, 3, false, 2, 3, 0);
        assertEquals(20, transient_.firstSlice(40));
        assertEquals(22, transient_.lastSlice(40));
        assertNull(transient_.samples(19, 40));
        assertNull(transient_.samples(23, 40));
        assertNull(Motion.NONE.samples(20, 40));
        assertEquals(transient_.positions(), transient_.samples(21, 40).length);
        // out and back: symmetric about the middle slice, largest there
        assertEquals(Motion.centre(transient_.samples(20, 40)), Motion.centre(transient_.samples(22, 40)), 1e-12);
        assertTrue(Motion.centre(transient_.samples(21, 40)) > Motion.centre(transient_.samples(20, 40)));

        Motion settling = new Motion(0.5, 2, true, 2, 3, 0);
        assertEquals(39, settling.lastSlice(40));
        assertEquals(settling.positions(), settling.samples(21, 40).length, "still moving: blurred");
        assertArrayEquals(new double[] {1}, settling.samples(22, 40), "at rest in the new position: one position");
        assertArrayEquals(new double[] {1}, settling.samples(39, 40));
    }

    @Test
    void theTransformIsAnInPlaneRotationAboutTheHeadCentrePlusTheShift() {
        SeriesGeometry tilted = SeriesGeometry.axial(128, 1.8, new double[] {0, 0}, -60, 40, 5, 5, 18);
        double[] centre = {4, -7, 12};
        Motion m = new Motion(0.5, 3, false, 3, 2, -1.5);
        assertTrue(m.sampling(0, tilted, centre).maxDifference(Affine.identity()) < 1e-12, "no displacement");
        Affine back = m.sampling(0.5, tilted, centre);
        // the head centre, moved by half the shift, is seen where the static centre lies
        double[] u = tilted.rowDir();
        double[] v = tilted.colDir();
        double[] moved = new double[3];
        for (int i = 0; i < 3; i++) {
            moved[i] = centre[i] + 0.5 * (2 * u[i] - 1.5 * v[i]);
        }
        assertArrayEquals(centre, back.apply(moved[0], moved[1], moved[2]), 1e-9);
        // every point stays in its slice plane; 50 mm from the centre along the rows (half the 3 deg turn, positive
        // from +column towards +row) the pixel shows the static point 1.5 deg the other way round
        double[] n = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
        double[] p = {moved[0] + 50 * u[0], moved[1] + 50 * u[1], moved[2] + 50 * u[2]};
        double[] q = back.apply(p[0], p[1], p[2]);
        double[] d = {q[0] - centre[0], q[1] - centre[1], q[2] - centre[2]};
        assertEquals(0, d[0] * n[0] + d[1] * n[1] + d[2] * n[2], 1e-9, "in plane");
        double along = d[0] * u[0] + d[1] * u[1] + d[2] * u[2];
        double across = d[0] * v[0] + d[1] * v[1] + d[2] * v[2];
        assertEquals(-1.5, Math.toDegrees(Math.atan2(across, along)), 1e-6); // colDir rounded to 9 decimals
        assertEquals(50, Math.hypot(along, across), 1e-6);
    }

    @Test
    void theShareIsAnExactCountAndZeroMeansNoSubject() {
        CohortSettings none = new CohortSettings(6, 3, 0.5, 0.3, 0.2, 128, CohortSettings.ThinCoverage.SLAB, 1,
                CohortSettings.AnatomySource.MNI);
        assertEquals(0, count(SubjectSpec.Plan.of(none).motion()));
        CohortSettings half = new CohortSettings(6, 3, 0.5, 0.3, 0.2, 128, CohortSettings.ThinCoverage.SLAB, 1,
                CohortSettings.AnatomySource.MNI, 0.5);
        SubjectSpec.Plan plan = SubjectSpec.Plan.of(half);
        assertEquals(3, count(plan.motion()));
        // the other shares are drawn as before
        SubjectSpec.Plan before = SubjectSpec.Plan.of(none);
        assertArrayEquals(before.normal(), plan.normal());
        assertArrayEquals(before.tilt(), plan.tilt());
        assertArrayEquals(before.overlay(), plan.overlay());
        assertArrayEquals(before.derived(), plan.derived());
        assertThrows(IllegalArgumentException.class, () -> new CohortSettings(6, 3, 0.5, 0.3, 0.2, 128,
                CohortSettings.ThinCoverage.SLAB, 1, CohortSettings.AnatomySource.MNI, 1.5));
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }
}
