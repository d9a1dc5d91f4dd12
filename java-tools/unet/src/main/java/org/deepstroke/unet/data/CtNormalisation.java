package org.deepstroke.unet.data;

/**
 * CT input normalisation: HU clipped to the brain window [{@value #HU_LOW}, {@value #HU_HIGH}] and scaled to
 * [0, 1] (air and CSF -> ~0, grey/white matter ~0.3-0.5, bone and blood -> 1). No brain masking of intensities:
 * the skull's bright rim is a useful boundary cue, and prediction then needs no stripping beyond the crop box.
 * Optional coordinate channels (x, y, z of the net voxel in [-1, 1]) give the network absolute position, which
 * the ASPECTS territories (defined by position as much as by contrast) need.
 */
public final class CtNormalisation {

    public static final float HU_LOW = 0f;
    public static final float HU_HIGH = 80f;

    private CtNormalisation() {
    }

    public static float[] window(float[] hu) {
        float[] out = new float[hu.length];
        for (int i = 0; i < hu.length; i++) {
            float v = Math.max(HU_LOW, Math.min(HU_HIGH, hu[i]));
            out[i] = (v - HU_LOW) / (HU_HIGH - HU_LOW);
        }
        return out;
    }

    /**
     * Stacks the normalised CT and (when {@code channels == 4}) the three coordinate channels: the layout is
     * [channel][z][y][x], i.e. ND4J's NCDHW with D = z, H = y, W = x.
     */
    public static float[] channels(float[] ct, int size, int channels) {
        int n = size * size * size;
        float[] out = new float[channels * n];
        System.arraycopy(ct, 0, out, 0, n);
        if (channels == 4) {
            for (int z = 0, i = 0; z < size; z++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++, i++) {
                        out[n + i] = coord(x, size);
                        out[2 * n + i] = coord(y, size);
                        out[3 * n + i] = coord(z, size);
                    }
                }
            }
        } else if (channels != 1) {
            throw new IllegalArgumentException("input channels must be 1 or 4, got " + channels);
        }
        return out;
    }

    private static float coord(int i, int size) {
        return (float) (2.0 * (i + 0.5) / size - 1.0);
    }
}
