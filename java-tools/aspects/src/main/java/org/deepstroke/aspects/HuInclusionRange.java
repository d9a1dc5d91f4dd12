package org.deepstroke.aspects;

/**
 * The parenchymal HU window: voxels of a region outside it (CSF, partial-volume bone, calcification, air) are left
 * out of every HU statistic, so a region's mean measures brain tissue, not how much sulcal CSF its mask caught.
 */
public record HuInclusionRange(double low, double high) {

    public HuInclusionRange {
        if (!(high > low)) {
            throw new IllegalArgumentException("empty HU window " + low + ".." + high);
        }
    }

    /** Inclusive at both ends, as the public pipeline's 1..250 HU. */
    public boolean contains(double hu) {
        return hu >= low && hu <= high;
    }

    /** Parses {@code low,high} (e.g. {@code 10,60}). */
    public static HuInclusionRange parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("an HU window is low,high, e.g. 10,60: '" + text + "'");
        }
        return new HuInclusionRange(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
    }

    @Override
    public String toString() {
        return fmt(low) + ".." + fmt(high) + " HU";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
