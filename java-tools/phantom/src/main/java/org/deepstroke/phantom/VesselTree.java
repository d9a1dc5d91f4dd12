package org.deepstroke.phantom;

import java.util.ArrayList;
import java.util.List;

/**
 * A schematic intracranial arterial tree for the CTA series, placed from the ASPECTS label centroids (so it follows
 * whatever label map is given): internal carotids rising to a bifurcation below the lentiform nucleus, M1 running
 * laterally to the insula with branches to the MCA cortical regions, anterior cerebral arteries along the midline,
 * and the basilar artery with the posterior cerebral arteries. Rendered into template space as contrast HU with a
 * Gaussian cross-section. Not anatomy-grade: it only has to make a CTA look like a CTA.
 */
final class VesselTree {

    static final double CONTRAST_HU = 320;

    record Segment(double[] a, double[] b, double radius) {
    }

    private VesselTree() {
    }

    static float[] render(TemplateSpace t) {
        float[] out = new float[t.hu.length];
        for (Segment s : segments(t)) {
            draw(t, out, s);
        }
        return out;
    }

    static List<Segment> segments(TemplateSpace t) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int z = 0; z < t.nz; z++) {
            for (int y = 0; y < t.ny; y++) {
                for (int x = 0; x < t.nx; x++) {
                    if (t.brain[t.index(x, y, z)] != 0) {
                        double[] w = t.world(x, y, z);
                        for (int a = 0; a < 3; a++) {
                            lo[a] = Math.min(lo[a], w[a]);
                            hi[a] = Math.max(hi[a], w[a]);
                        }
                    }
                }
            }
        }
        double[][] c = t.labelCentroid;
        double midX = c[4] != null && c[14] != null ? (c[4][0] + c[14][0]) / 2 : (lo[0] + hi[0]) / 2;
        double[] centre = {midX, (lo[1] + hi[1]) / 2, lo[2] + 0.35 * (hi[2] - lo[2])};
        List<Segment> segments = new ArrayList<>();
        double[] bifurcationZ = new double[2];
        for (int side = 0; side < 2; side++) {
            int base = side * 10; // left ids 1..10, right 11..20
            double[] insula = or(c[base + 4], offset(centre, (side == 0 ? -1 : 1) * 0.3 * (hi[0] - lo[0]), 0, 0));
            double[] lentiform = or(c[base + 2], offset(centre, (side == 0 ? -1 : 1) * 0.15 * (hi[0] - lo[0]), 5, 0));
            double[] caudate = or(c[base + 1], offset(centre, (side == 0 ? -1 : 1) * 0.08 * (hi[0] - lo[0]), 15, 5));
            double[] bif = {midX + 0.3 * (insula[0] - midX), lentiform[1] + 5, Math.min(lentiform[2], insula[2]) - 12};
            bifurcationZ[side] = bif[2];
            // internal carotid: up from below the brain
            segments.add(new Segment(new double[] {bif[0], bif[1] - 6, lo[2] - 12}, bif, 2.2));
            // M1 to the insula, then branches to the MCA cortical regions
            double[] m1End = {insula[0], insula[1], bif[2] + 4};
            segments.add(new Segment(bif, m1End, 1.5));
            for (int region = 5; region <= 10; region++) {
                double[] target = c[base + region];
                if (target != null) {
                    segments.add(new Segment(m1End, target, region <= 7 ? 1.0 : 0.9));
                }
            }
            // anterior cerebral artery
            double side1 = side == 0 ? -1.5 : 1.5;
            double[] aca1 = {midX + side1, caudate[1] + 18, caudate[2] - 6};
            double[] aca2 = {midX + side1, caudate[1] + 12, hi[2] - 25};
            segments.add(new Segment(bif, aca1, 1.2));
            segments.add(new Segment(aca1, aca2, 1.0));
        }
        double tipZ = Math.min(bifurcationZ[0], bifurcationZ[1]) - 4;
        double[] basilarTip = {midX, centre[1] - 18, tipZ};
        segments.add(new Segment(new double[] {midX, centre[1] - 24, lo[2] - 12}, basilarTip, 1.6));
        for (int s = -1; s <= 1; s += 2) {
            segments.add(new Segment(basilarTip, new double[] {midX + s * 28, basilarTip[1] - 55, tipZ + 6}, 1.0));
        }
        return segments;
    }

    private static double[] or(double[] v, double[] fallback) {
        return v != null ? v : fallback;
    }

    private static double[] offset(double[] p, double dx, double dy, double dz) {
        return new double[] {p[0] + dx, p[1] + dy, p[2] + dz};
    }

    /** max-combines a tube of HU CONTRAST_HU * exp(-(d/r)^2) into {@code out} (r at least 1.2 mm: 2 mm grid). */
    private static void draw(TemplateSpace t, float[] out, Segment s) {
        double r = Math.max(1.2, s.radius());
        double reach = 3 * r;
        double[] va = t.worldToVoxel.apply(s.a()[0], s.a()[1], s.a()[2]);
        double[] vb = t.worldToVoxel.apply(s.b()[0], s.b()[1], s.b()[2]);
        double[] spacing = t.voxelToWorld.columnNorms();
        int[] lo = new int[3];
        int[] hi = new int[3];
        int[] dims = {t.nx, t.ny, t.nz};
        for (int a = 0; a < 3; a++) {
            double pad = reach / spacing[a];
            lo[a] = Math.max(0, (int) Math.floor(Math.min(va[a], vb[a]) - pad));
            hi[a] = Math.min(dims[a] - 1, (int) Math.ceil(Math.max(va[a], vb[a]) + pad));
        }
        double[] ab = {s.b()[0] - s.a()[0], s.b()[1] - s.a()[1], s.b()[2] - s.a()[2]};
        double len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
        double[] w = new double[3];
        for (int z = lo[2]; z <= hi[2]; z++) {
            for (int y = lo[1]; y <= hi[1]; y++) {
                for (int x = lo[0]; x <= hi[0]; x++) {
                    t.voxelToWorld.apply(x, y, z, w);
                    double tt = len2 == 0 ? 0 : ((w[0] - s.a()[0]) * ab[0] + (w[1] - s.a()[1]) * ab[1]
                            + (w[2] - s.a()[2]) * ab[2]) / len2;
                    tt = Math.max(0, Math.min(1, tt));
                    double dx = w[0] - (s.a()[0] + tt * ab[0]);
                    double dy = w[1] - (s.a()[1] + tt * ab[1]);
                    double dz = w[2] - (s.a()[2] + tt * ab[2]);
                    double d2 = dx * dx + dy * dy + dz * dz;
                    if (d2 > reach * reach) {
                        continue;
                    }
                    int i = t.index(x, y, z);
                    if (t.hu[i] <= TemplateSpace.AIR_HU + 1) {
                        continue; // no vessels in the air
                    }
                    float v = (float) (CONTRAST_HU * Math.exp(-d2 / (r * r)));
                    if (v > out[i]) {
                        out[i] = v;
                    }
                }
            }
        }
    }
}
