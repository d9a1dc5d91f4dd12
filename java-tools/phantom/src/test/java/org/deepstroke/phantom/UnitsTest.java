package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.SplittableRandom;
import org.deepstroke.phantom.dicom.Ds;
import org.junit.jupiter.api.Test;

/** The small pieces: UIDs, decimal strings, the deformation. */
class UnitsTest {

    @Test
    void uidsAreValidDeterministicAndDistinct() {
        String a = Uids.uid(5, "subject", 0, "study");
        assertEquals(a, Uids.uid(5, "subject", 0, "study"));
        assertNotEquals(a, Uids.uid(6, "subject", 0, "study"));
        assertNotEquals(a, Uids.uid(5, "subject", 1, "study"));
        for (int i = 0; i < 200; i++) {
            String u = Uids.uid(i, "x");
            assertTrue(u.length() <= 64 && u.matches("2\\.25\\.(0|[1-9][0-9]*)"), u);
        }
    }

    @Test
    void decimalStringsFitSixteenCharactersAndRoundTrip() {
        for (double v : new double[] {0.482421875, -115.12345678901, 1234567.123456789, -0.000001, 0, 5, 0.9563047559}) {
            String s = Ds.format(v);
            assertTrue(s.length() <= 16, s);
            assertEquals(Double.parseDouble(s), Ds.round(v));
            assertEquals(v, Ds.round(v), Math.max(1e-6, Math.abs(v) * 1e-9), s);
        }
        assertEquals("0.482421875", Ds.format(247.0 / 512));
    }

    @Test
    void theDeformationIsSmoothBoundedAndInvertible() throws IOException {
        TemplateSpace t = TemplateSpace.load(TestCohorts.templateWithSkull(), TestCohorts.labels(), null,
                TestCohorts.template());
        for (int s = 0; s < 3; s++) {
            Deformation d = Deformation.draw(new SplittableRandom(s), t, 6.0);
            assertTrue(d.maxMm <= 6.0 + 1e-6 && d.maxMm > 2, "max " + d.maxMm);
            assertTrue(d.minJacobian >= Deformation.MIN_JACOBIAN, "min Jacobian " + d.minJacobian);
            // the interpolated field agrees with the analytic definition at off-grid points
            SplittableRandom rnd = new SplittableRandom(100 + s);
            double[] scratch = new double[3];
            for (int i = 0; i < 200; i++) {
                double vx = 20 + 80 * rnd.nextDouble();
                double vy = 20 + 80 * rnd.nextDouble();
                double vz = 20 + 80 * rnd.nextDouble();
                d.displacement(vx, vy, vz, scratch);
                double[] world = t.voxelToWorld.apply(vx, vy, vz);
                double[] exact = d.displacementMm(world);
                double[] o = t.voxelToWorld.apply(0, 0, 0);
                double[] e = t.voxelToWorld.apply(scratch[0], scratch[1], scratch[2]);
                for (int a = 0; a < 3; a++) {
                    assertEquals(exact[a], e[a] - o[a], 0.15, "displacement component " + a);
                }
            }
        }
    }

    @Test
    void sharesGiveExactCounts() {
        CohortSettings s = new CohortSettings(6, 3, 0.5, 0.3, 0.2, 512, CohortSettings.ThinCoverage.FULL, 1);
        SubjectSpec.Plan plan = SubjectSpec.Plan.of(s);
        assertEquals(3, count(plan.overlay()));
        assertEquals(2, count(plan.tilt()));
        assertEquals(1, count(plan.normal()));
        assertEquals(1, count(plan.derived()));
        for (int i = 0; i < 6; i++) {
            assertTrue(!plan.derived()[i] || plan.overlay()[i]);
            SubjectSpec spec = SubjectSpec.draw(s, plan, i);
            assertEquals(plan.normal()[i] ? 0 : spec.k(), spec.k());
            assertEquals(10 - spec.k(), spec.aspects());
            assertTrue(plan.normal()[i] || (spec.k() >= 1 && spec.k() <= 10));
        }
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }
}
