package org.deepstroke.core.image.ops;

import org.deepstroke.core.image.ImageVolume;

/**
 * Brain extraction on non-contrast CT by morphology (after Muschelli et al., NeuroImage 2015: a brain HU window,
 * the largest connected component, hole filling), with the erosion and dilation done in millimetres so that thin
 * 0.45 x 0.45 x 5 mm scans and 2 mm templates behave alike:
 * <ol>
 * <li>keep voxels in the parenchymal HU window (bone, air and fat fall out);</li>
 * <li>erode by {@code erodeMm}: cuts the thin bridges (foramina, orbits) that join brain and scalp or muscle;</li>
 * <li>keep the largest connected component: the brain;</li>
 * <li>dilate back by the same radius, within the window (a geodesic-like reconstruction of the brain edge);</li>
 * <li>fill enclosed holes in 3-D and per axial slice (ventricles, cisterns, dense blood).</li>
 * </ol>
 */
public final class SkullStripper {

    /** Parameters; defaults suit adult NCCT in HU. */
    public record Parameters(double huMin, double huMax, double erodeMm) {
        public static Parameters defaults() {
            return new Parameters(0, 100, 4);
        }
    }

    private final Parameters parameters;

    public SkullStripper(Parameters parameters) {
        this.parameters = parameters;
    }

    /** The brain mask of a CT volume in HU. */
    public boolean[] brainMask(ImageVolume ct) {
        int nx = ct.nx();
        int ny = ct.ny();
        int nz = ct.nz();
        double[] spacing = ct.spacing();
        float[] hu = ct.data();
        boolean[] window = new boolean[hu.length];
        for (int i = 0; i < hu.length; i++) {
            window[i] = hu[i] >= parameters.huMin() && hu[i] <= parameters.huMax();
        }
        boolean[] core = BinaryMorphology.erode(window, nx, ny, nz, spacing, parameters.erodeMm());
        boolean[] brain = BinaryMorphology.largestComponent(core, nx, ny, nz);
        boolean[] grown = BinaryMorphology.dilate(brain, nx, ny, nz, spacing, parameters.erodeMm());
        for (int i = 0; i < grown.length; i++) {
            grown[i] &= window[i];
        }
        boolean[] filled = BinaryMorphology.fillHoles(grown, nx, ny, nz);
        return BinaryMorphology.fillHolesPerSlice(filled, nx, ny, nz);
    }

    /** The CT inside the mask, {@code background} elsewhere. */
    public static ImageVolume apply(ImageVolume ct, boolean[] mask, float background) {
        float[] out = new float[ct.size()];
        float[] in = ct.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = mask[i] ? in[i] : background;
        }
        return ct.withData(out);
    }
}
