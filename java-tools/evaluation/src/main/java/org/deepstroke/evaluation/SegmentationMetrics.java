package org.deepstroke.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.ops.DistanceTransform;

/**
 * Overlap and surface-distance metrics of one label in two label maps on the same grid: Dice, the 95th percentile
 * Hausdorff distance (HD95, millimetres, on the labels' surfaces) and volumes (ml). Label values are the voxel
 * values rounded to whole numbers.
 *
 * <p>Conventions for empty labels (so that tables never hold surprises): both empty -> Dice 1, HD95 0; exactly one
 * empty -> Dice 0, HD95 NaN (undefined: there is no surface to measure to).
 */
public final class SegmentationMetrics {

    private SegmentationMetrics() {
    }

    /** All metrics of one label. {@code hd95Mm} is NaN when exactly one of the maps lacks the label. */
    public record LabelMetrics(int label, double dice, double hd95Mm, double predictedMl, double referenceMl) {
        public double differenceMl() {
            return predictedMl - referenceMl;
        }
    }

    /** Dice of {@code label}: 2|P and R| / (|P| + |R|); 1 when both are empty. */
    public static double dice(ImageVolume predicted, ImageVolume reference, int label) {
        requireSameGrid(predicted, reference);
        float[] p = predicted.data();
        float[] r = reference.data();
        long both = 0;
        long np = 0;
        long nr = 0;
        for (int i = 0; i < p.length; i++) {
            boolean inP = Math.round(p[i]) == label;
            boolean inR = Math.round(r[i]) == label;
            np += inP ? 1 : 0;
            nr += inR ? 1 : 0;
            both += inP && inR ? 1 : 0;
        }
        return np + nr == 0 ? 1.0 : 2.0 * both / (np + nr);
    }

    /** Volume of {@code label} in millilitres. */
    public static double volumeMl(ImageVolume labels, int label) {
        long n = 0;
        for (float v : labels.data()) {
            n += Math.round(v) == label ? 1 : 0;
        }
        double[] s = labels.spacing();
        return n * s[0] * s[1] * s[2] / 1000.0;
    }

    /**
     * HD95 of {@code label} in mm: the 95th percentile (linear interpolation, as numpy and medpy) of the distances
     * from every surface voxel of one map to the nearest surface voxel of the other, both directions pooled. A
     * surface voxel is a label voxel with a face neighbour outside the label (or outside the image).
     */
    public static double hd95(ImageVolume predicted, ImageVolume reference, int label) {
        requireSameGrid(predicted, reference);
        int[] box = boundingBox(predicted, reference, label);
        if (box == null) {
            return 0.0;
        }
        int nx = box[3] - box[0] + 1;
        int ny = box[4] - box[1] + 1;
        int nz = box[5] - box[2] + 1;
        // Cropping to the union's bounding box is exact: every surface voxel of both maps lies inside it.
        boolean[] p = crop(predicted, label, box);
        boolean[] r = crop(reference, label, box);
        boolean[] sp = surface(p, nx, ny, nz);
        boolean[] sr = surface(r, nx, ny, nz);
        if (!any(sp) || !any(sr)) {
            return Double.NaN;
        }
        double[] spacing = predicted.spacing();
        float[] toR = DistanceTransform.squaredDistanceTo(sr, nx, ny, nz, spacing);
        float[] toP = DistanceTransform.squaredDistanceTo(sp, nx, ny, nz, spacing);
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < sp.length; i++) {
            if (sp[i]) {
                d.add(Math.sqrt(toR[i]));
            }
            if (sr[i]) {
                d.add(Math.sqrt(toP[i]));
            }
        }
        double[] values = d.stream().mapToDouble(Double::doubleValue).toArray();
        return percentile(values, 95);
    }

    /** Dice, HD95 and volumes of one label. */
    public static LabelMetrics compute(ImageVolume predicted, ImageVolume reference, int label) {
        return new LabelMetrics(label, dice(predicted, reference, label), hd95(predicted, reference, label),
                volumeMl(predicted, label), volumeMl(reference, label));
    }

    /** {@link #compute} for each label, in the given order. */
    public static List<LabelMetrics> computeAll(ImageVolume predicted, ImageVolume reference, int... labels) {
        List<LabelMetrics> out = new ArrayList<>();
        for (int label : labels) {
            out.add(compute(predicted, reference, label));
        }
        return out;
    }

    /** Percentile with linear interpolation between order statistics (numpy's default). */
    static double percentile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q / 100.0 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    private static void requireSameGrid(ImageVolume a, ImageVolume b) {
        if (!a.sameGrid(b, 1e-3)) {
            throw new IllegalArgumentException("label maps on different grids (resample the reference first, "
                    + "e.g. with LabelResampler.nearestOnto)");
        }
    }

    /** {xmin, ymin, zmin, xmax, ymax, zmax} of the label in either map, or null when both lack it. */
    private static int[] boundingBox(ImageVolume a, ImageVolume b, int label) {
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, -1};
        float[] pa = a.data();
        float[] pb = b.data();
        int i = 0;
        for (int z = 0; z < a.nz(); z++) {
            for (int y = 0; y < a.ny(); y++) {
                for (int x = 0; x < a.nx(); x++, i++) {
                    if (Math.round(pa[i]) == label || Math.round(pb[i]) == label) {
                        box[0] = Math.min(box[0], x);
                        box[1] = Math.min(box[1], y);
                        box[2] = Math.min(box[2], z);
                        box[3] = Math.max(box[3], x);
                        box[4] = Math.max(box[4], y);
                        box[5] = Math.max(box[5], z);
                    }
                }
            }
        }
        return box[3] < 0 ? null : box;
    }

    private static boolean[] crop(ImageVolume v, int label, int[] box) {
        int nx = box[3] - box[0] + 1;
        int ny = box[4] - box[1] + 1;
        int nz = box[5] - box[2] + 1;
        boolean[] out = new boolean[nx * ny * nz];
        int i = 0;
        for (int z = box[2]; z <= box[5]; z++) {
            for (int y = box[1]; y <= box[4]; y++) {
                for (int x = box[0]; x <= box[3]; x++) {
                    out[i++] = Math.round(v.get(x, y, z)) == label;
                }
            }
        }
        return out;
    }

    private static boolean[] surface(boolean[] m, int nx, int ny, int nz) {
        boolean[] s = new boolean[m.length];
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    if (!m[i]) {
                        continue;
                    }
                    // Outside the crop is outside the label (the crop holds all of it).
                    s[i] = x == 0 || !m[i - 1] || x == nx - 1 || !m[i + 1]
                            || y == 0 || !m[i - nx] || y == ny - 1 || !m[i + nx]
                            || z == 0 || !m[i - nx * ny] || z == nz - 1 || !m[i + nx * ny];
                }
            }
        }
        return s;
    }

    private static boolean any(boolean[] m) {
        for (boolean b : m) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
