package org.deepstroke.registration.atlas;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.ImageVolume;

/**
 * Plausibility of a mapped ASPECTS label map from its region centroids: left regions lie at lower RAS x than their
 * right twins, and per side the caudate is medial and the insular ribbon lateral to the lentiform nucleus. A failed
 * check points at a flipped atlas, a wrong mask-name mapping or a failed registration; the voxel counts alone
 * would not show any of these.
 */
public final class AnatomyCheck {

    private AnatomyCheck() {
    }

    /** RAS centroids (mm) of every region with voxels. */
    public static Map<AspectsRegion, double[]> centroids(ImageVolume labels) {
        int n = AspectsRegion.values().length;
        double[][] sum = new double[n + 1][3];
        long[] count = new long[n + 1];
        double[] w = new double[3];
        for (int z = 0; z < labels.nz(); z++) {
            for (int y = 0; y < labels.ny(); y++) {
                for (int x = 0; x < labels.nx(); x++) {
                    int id = Math.round(labels.get(x, y, z));
                    if (id >= 1 && id <= n) {
                        labels.voxelToWorld().apply(x, y, z, w);
                        for (int k = 0; k < 3; k++) {
                            sum[id][k] += w[k];
                        }
                        count[id]++;
                    }
                }
            }
        }
        Map<AspectsRegion, double[]> result = new EnumMap<>(AspectsRegion.class);
        for (AspectsRegion r : AspectsRegion.all()) {
            if (count[r.id()] > 0) {
                double c = count[r.id()];
                result.put(r, new double[] {sum[r.id()][0] / c, sum[r.id()][1] / c, sum[r.id()][2] / c});
            }
        }
        return result;
    }

    /** Named checks, each true when it holds (false also when a region it needs is empty). */
    public static Map<String, Boolean> run(ImageVolume labels) {
        Map<AspectsRegion, double[]> c = centroids(labels);
        Map<String, Boolean> checks = new LinkedHashMap<>();
        boolean leftRight = true;
        for (AspectsRegion.Structure s : AspectsRegion.Structure.values()) {
            AspectsRegion left = AspectsRegion.of(s, AspectsRegion.Side.L);
            AspectsRegion right = AspectsRegion.of(s, AspectsRegion.Side.R);
            leftRight &= c.containsKey(left) && c.containsKey(right) && c.get(left)[0] < c.get(right)[0];
        }
        checks.put("left_regions_left_of_right", leftRight);
        if (!c.containsKey(AspectsRegion.L_L) || !c.containsKey(AspectsRegion.L_R)) {
            checks.put("caudate_medial_to_lentiform", false);
            checks.put("insula_lateral_to_lentiform", false);
            return checks;
        }
        double midline = (c.get(AspectsRegion.L_L)[0] + c.get(AspectsRegion.L_R)[0]) / 2;
        checks.put("caudate_medial_to_lentiform",
                lateralOrder(c, midline, AspectsRegion.C_L, AspectsRegion.L_L)
                        && lateralOrder(c, midline, AspectsRegion.C_R, AspectsRegion.L_R));
        checks.put("insula_lateral_to_lentiform",
                lateralOrder(c, midline, AspectsRegion.L_L, AspectsRegion.I_L)
                        && lateralOrder(c, midline, AspectsRegion.L_R, AspectsRegion.I_R));
        return checks;
    }

    /** True when {@code medial} lies closer to the midline than {@code lateral}. */
    private static boolean lateralOrder(Map<AspectsRegion, double[]> c, double midline, AspectsRegion medial,
            AspectsRegion lateral) {
        return c.containsKey(medial) && c.containsKey(lateral)
                && Math.abs(c.get(medial)[0] - midline) < Math.abs(c.get(lateral)[0] - midline);
    }
}
