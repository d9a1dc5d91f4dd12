package org.deepstroke.phantom;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.Interpolation;

/**
 * One subject's anatomy: the template posed and deformed, with the subject's HU offset and ischaemia applied in
 * template space. The mapping from the subject's native world (RAS mm) to the template world is
 * {@code T(x) = A x + d(A x)} with the rigid {@code A} and the displacement {@code d} of {@link Deformation}; every
 * output voxel at native position x shows the template at T(x) (trilinear HU, nearest-neighbour labels).
 */
final class Anatomy {

    private static final Affine LPS_TO_RAS = Affine.diagonal(-1, -1, 1);

    final TemplateSpace t;
    final Deformation deformation;
    /** native RAS -> template RAS (the rigid part A) */
    final Affine nativeToTemplate;
    /** template RAS -> native RAS (A^-1) */
    final Affine templateToNative;
    /** native LPS -> template voxel index (before the displacement) */
    private final Affine lpsToVoxel;
    /** head centre in native RAS (c_n) */
    final double[] nativeCentre;
    /** subject HU in template space: without and with contrast */
    final float[] huPlain;
    final float[] huContrast;
    /** template voxels of the lesion (affected labels inside the brain) */
    final boolean[] lesionTemplate;
    /** Box (template voxel coordinates) outside which every sample is air: the non-air voxels' bounding box widened
     * by the largest displacement plus one voxel for the interpolation. Skipping samples outside it changes no
     * value; it only saves time (most of a scanner's field of view is air). */
    private final double[] boxLo = new double[3];
    private final double[] boxHi = new double[3];

    Anatomy(TemplateSpace t, SubjectSpec spec, Deformation deformation) {
        this.t = t;
        this.deformation = deformation;
        double[] ct = t.headCenter;
        this.nativeCentre = new double[] {spec.translationMm[0], spec.translationMm[1],
            spec.tableZ + spec.translationMm[2]};
        Affine r = rotation(spec.rotationDeg);
        if (spec.headScale != 1) {
            // head size: x = c_n + R s (y - c_t)
            r = r.multiply(Affine.diagonal(spec.headScale, spec.headScale, spec.headScale));
        }
        // forward: x = c_n + R (y - c_t)
        this.templateToNative = translation(nativeCentre).multiply(r).multiply(translation(neg(ct)));
        this.nativeToTemplate = templateToNative.inverse();
        this.lpsToVoxel = t.worldToVoxel.multiply(nativeToTemplate).multiply(LPS_TO_RAS);

        int n = t.hu.length;
        huPlain = new float[n];
        huContrast = new float[n];
        lesionTemplate = new boolean[n];
        float offset = (float) spec.huOffset;
        if (t.mni != null) {
            applyLook(spec.look.render(t.mni, spec.affectedIds(), new double[] {spec.deltaHu, spec.contrastLoss}),
                    offset);
        } else {
            applyIschaemia(spec, offset);
        }
        fitAirBox(spec);
    }

    /** The independent anatomy: the subject's rendered look, which already holds the ischaemia (in tissue terms). */
    private void applyLook(MniLook.Render mniRender, float offset) {
        for (int i = 0; i < huPlain.length; i++) {
            float v = mniRender.hu()[i];
            if (v > TemplateSpace.AIR_HU) {
                v += offset;
            }
            boolean lesion = t.brain[i] != 0 && mniRender.lesion()[i];
            lesionTemplate[i] = lesion;
            huPlain[i] = v;
            float enhancement = t.brain[i] != 0 ? (lesion ? 1f : 4f) : 0f;
            huContrast[i] = v + t.vessels[i] + enhancement;
        }
    }

    /** The template anatomy: its HU with the subject's offset and, in the affected regions, ischaemia. */
    private void applyIschaemia(SubjectSpec spec, float offset) {
        boolean[] affectedId = new boolean[21];
        for (int id : spec.affectedIds()) {
            affectedId[id] = true;
        }
        for (int i = 0; i < huPlain.length; i++) {
            float v = t.hu[i];
            if (v > TemplateSpace.AIR_HU) {
                v += offset;
            }
            boolean lesion = t.brain[i] != 0 && affectedId[t.labels[i]];
            if (lesion) {
                // early ischaemic change: lower HU and grey/white contrast pulled towards the local mean
                v = (float) (v - spec.deltaHu - spec.contrastLoss * (t.hu[i] - t.localMean[i]));
            }
            lesionTemplate[i] = lesion;
            huPlain[i] = v;
            // CTA: vessels plus a little parenchymal enhancement (less in the ischaemic tissue)
            float enhancement = t.brain[i] != 0 ? (lesion ? 1f : 4f) : 0f;
            huContrast[i] = v + t.vessels[i] + enhancement;
        }
    }

    /** The box outside which every sample is air (see {@link #boxLo}). */
    private void fitAirBox(SubjectSpec spec) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int z = 0; z < t.nz; z++) {
            for (int y = 0; y < t.ny; y++) {
                for (int x = 0; x < t.nx; x++) {
                    if (huPlain[t.index(x, y, z)] > TemplateSpace.AIR_HU) {
                        lo[0] = Math.min(lo[0], x);
                        lo[1] = Math.min(lo[1], y);
                        lo[2] = Math.min(lo[2], z);
                        hi[0] = Math.max(hi[0], x);
                        hi[1] = Math.max(hi[1], y);
                        hi[2] = Math.max(hi[2], z);
                    }
                }
            }
        }
        double[] spacing = t.voxelToWorld.columnNorms();
        for (int a = 0; a < 3; a++) {
            double margin = (deformation.maxMm + 0.5) / spacing[a] + 2;
            if (spec.headScale != 1) {
                margin += 1; // the scaling happens before the template look-up: no extra template margin needed
            }
            boxLo[a] = lo[a] - margin;
            boxHi[a] = hi[a] + margin;
        }
    }

    private boolean outsideBox(double vx, double vy, double vz) {
        return vx < boxLo[0] || vy < boxLo[1] || vz < boxLo[2] || vx > boxHi[0] || vy > boxHi[1] || vz > boxHi[2];
    }

    /** R = Rz(c) Ry(b) Rx(a) for angles (a, b, c) in degrees, about the RAS axes. */
    static Affine rotation(double[] deg) {
        return Affine.rotationDegrees(deg[0], deg[1], deg[2]);
    }

    private static Affine translation(double[] v) {
        return Affine.identity().translate(v[0], v[1], v[2]);
    }

    private static double[] neg(double[] v) {
        return new double[] {-v[0], -v[1], -v[2]};
    }

    /** Head centre in native LPS. */
    double[] centreLps() {
        return new double[] {-nativeCentre[0], -nativeCentre[1], nativeCentre[2]};
    }

    /** The template head surface posed into native LPS (without the small deformation). */
    double[][] surfaceLps() {
        double[][] out = new double[t.headSurface.length][];
        double[] p = new double[3];
        for (int i = 0; i < out.length; i++) {
            double[] y = t.headSurface[i];
            templateToNative.apply(y[0], y[1], y[2], p);
            out[i] = new double[] {-p[0], -p[1], p[2]};
        }
        return out;
    }

    /** Native LPS of a template world point (rigid part only: the deformation moves points by at most ~6 mm). */
    double[] templateWorldToLps(double[] y) {
        double[] p = templateToNative.apply(y[0], y[1], y[2]);
        return new double[] {-p[0], -p[1], p[2]};
    }

    /**
     * Samples slice {@code k} of {@code g}: HU (trilinear in {@code source}, air outside the template) into
     * {@code hu}, and when not null the label id and brain mask (nearest neighbour) into {@code labels} and
     * {@code brain}, and the lesion into {@code lesion}. Arrays are row-major (column fastest).
     */
    void slice(SeriesGeometry g, int k, float[] source, float[] hu, byte[] labels, byte[] brain, byte[] lesion) {
        slice(g, k, 0, source, hu, labels, brain, lesion);
    }

    /** As {@link #slice(SeriesGeometry, int, float[], float[], byte[], byte[], byte[])}, {@code dk} slice steps
     * (of slice {@code k}'s own step, {@link SeriesGeometry#step(int)}) beyond slice {@code k} (fractional: a
     * sub-plane inside the slice's thickness). */
    void slice(SeriesGeometry g, int k, double dk, float[] source, float[] hu, byte[] labels, byte[] brain,
            byte[] lesion) {
        slice(g, k, dk, null, source, hu, labels, brain, lesion);
    }

    /** As {@link #slice(SeriesGeometry, int, double, float[], float[], byte[], byte[], byte[])} with the head moved:
     * {@code motion} (native LPS to native LPS, null for none) maps each pixel's position to where the static head
     * point it shows lies ({@link Motion#sampling}). */
    void slice(SeriesGeometry g, int k, double dk, Affine motion, float[] source, float[] hu, byte[] labels,
            byte[] brain, byte[] lesion) {
        double[] p0 = g.position(k);
        if (dk != 0) {
            double[] p1 = g.nextPosition(k); // one step of k's own segment above it
            p0 = new double[] {p0[0] + dk * (p1[0] - p0[0]), p0[1] + dk * (p1[1] - p0[1]),
                p0[2] + dk * (p1[2] - p0[2])};
        }
        Affine map = motion == null ? lpsToVoxel : lpsToVoxel.multiply(motion);
        double[] base = map.apply(p0[0], p0[1], p0[2]);
        double ps = g.pixelSpacing();
        double[] du = linear(map, g.rowDir(), ps);
        double[] dv = linear(map, g.colDir(), ps);
        double[] d = new double[3];
        int cols = g.columns();
        int nx = t.nx;
        int ny = t.ny;
        int nz = t.nz;
        for (int r = 0; r < g.rows(); r++) {
            double rx = base[0] + r * dv[0];
            double ry = base[1] + r * dv[1];
            double rz = base[2] + r * dv[2];
            int row = r * cols;
            for (int c = 0; c < cols; c++) {
                double vx = rx + c * du[0];
                double vy = ry + c * du[1];
                double vz = rz + c * du[2];
                if (outsideBox(vx, vy, vz)) {
                    hu[row + c] = TemplateSpace.AIR_HU;
                    if (labels != null) {
                        labels[row + c] = 0;
                        brain[row + c] = 0;
                        lesion[row + c] = 0;
                    }
                    continue;
                }
                deformation.displacement(vx, vy, vz, d);
                vx += d[0];
                vy += d[1];
                vz += d[2];
                hu[row + c] = trilinear(source, vx, vy, vz);
                if (labels != null) {
                    int ix = (int) Math.floor(vx + 0.5);
                    int iy = (int) Math.floor(vy + 0.5);
                    int iz = (int) Math.floor(vz + 0.5);
                    byte label = 0;
                    byte inBrain = 0;
                    byte inLesion = 0;
                    if (ix >= 0 && iy >= 0 && iz >= 0 && ix < nx && iy < ny && iz < nz) {
                        int i = ix + nx * (iy + ny * iz);
                        label = t.labels[i];
                        inBrain = t.brain[i];
                        inLesion = lesionTemplate[i] ? (byte) 1 : 0;
                    }
                    labels[row + c] = label;
                    brain[row + c] = inBrain;
                    lesion[row + c] = inLesion;
                }
            }
        }
    }

    /** HU at a native LPS point (with the displacement). */
    float huAt(double x, double y, double z, float[] source, double[] scratch) {
        lpsToVoxel.apply(x, y, z, scratch);
        double vx = scratch[0];
        double vy = scratch[1];
        double vz = scratch[2];
        if (outsideBox(vx, vy, vz)) {
            return TemplateSpace.AIR_HU;
        }
        deformation.displacement(vx, vy, vz, scratch);
        return trilinear(source, vx + scratch[0], vy + scratch[1], vz + scratch[2]);
    }

    private static double[] linear(Affine map, double[] dirLps, double step) {
        double[] o = map.apply(0, 0, 0);
        double[] e = map.apply(dirLps[0] * step, dirLps[1] * step, dirLps[2] * step);
        return new double[] {e[0] - o[0], e[1] - o[1], e[2] - o[2]};
    }

    /** Trilinear HU; neighbours outside the template grid are air. */
    private float trilinear(float[] v, double x, double y, double z) {
        return Interpolation.trilinear(v, t.nx, t.ny, t.nz, x, y, z, TemplateSpace.AIR_HU);
    }
}
