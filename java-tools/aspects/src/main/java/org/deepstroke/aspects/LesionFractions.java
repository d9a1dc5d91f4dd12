package org.deepstroke.aspects;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;

/**
 * Per hemisphere region, the fraction of its voxels inside a binary lesion map. The region map is brought onto the
 * LESION's grid by nearest neighbour ({@link LabelGrid}): the U-Net's lesion channel is on the native CT's grid and the
 * phantom's truth lesion on its acquisition grid, so the lesion's voxels are counted as they were drawn, never
 * resampled.
 */
public final class LesionFractions {

    /** Voxels of one region on the lesion's grid and how many of them are lesion. */
    public record Fraction(long regionVoxels, long lesionVoxels) {
        /** lesion / region voxels; 0 for a region with no voxels (never called affected). */
        public double fraction() {
            return regionVoxels == 0 ? 0 : (double) lesionVoxels / regionVoxels;
        }
    }

    private LesionFractions() {
    }

    /** Every voxel 0 or 1 (a binary mask; probabilities must be thresholded first), else a failure naming the file. */
    public static void checkBinary(Path file, ImageVolume lesion) {
        float[] v = lesion.data();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0f && v[i] != 1f) {
                throw new ToolFailure(file, "lesion value " + v[i] + " at voxel index " + i
                        + " is not 0 or 1 (a binary lesion mask is expected)");
            }
        }
    }

    /** Fractions of the 20 hemisphere regions; {@code labels} on any grid, taken onto {@code lesion}'s. */
    public static Map<AspectsRegion, Fraction> measure(ImageVolume labels, ImageVolume lesion) {
        ImageVolume on = LabelGrid.onGridOf(labels, lesion);
        long[] region = new long[AspectsRegion.values().length + 1];
        long[] hit = new long[region.length];
        float[] l = on.data();
        float[] m = lesion.data();
        for (int i = 0; i < l.length; i++) {
            int id = (int) l[i];
            if (id > 0 && id < region.length) {
                region[id]++;
                if (m[i] != 0f) {
                    hit[id]++;
                }
            }
        }
        Map<AspectsRegion, Fraction> out = new EnumMap<>(AspectsRegion.class);
        for (AspectsRegion r : AspectsRegion.values()) {
            out.put(r, new Fraction(region[r.id()], hit[r.id()]));
        }
        return out;
    }
}
