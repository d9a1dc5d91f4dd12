package org.deepstroke.aspects;

import java.nio.file.Path;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;

/**
 * What aspects-score accepts before it measures (issue 16, item 8): a label map of whole-number ids within the
 * label scheme (0 = background), and a CT that is not itself a label map. Before, 5.5 was rounded to 6 (voxels moved
 * to another region), ids above 20 were a warning, and a label map given as --ct was scored (ASPECTS 9, exit 0).
 */
public final class ScoreInputs {

    private ScoreInputs() {
    }

    /** Every voxel a whole number in [0, maxId]; else a failure naming the file, the value and a voxel. */
    public static void checkLabels(Path file, ImageVolume labels, int maxId) {
        float[] v = labels.data();
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (x != Math.rint(x) || !Float.isFinite(x)) {
                throw new ToolFailure(file, "label value " + x + " at voxel " + voxel(labels, i)
                        + " is not a whole number (a label map holds region ids; resample labels with nearest "
                        + "neighbour)");
            }
            if (x < 0 || x > maxId) {
                throw new ToolFailure(file, "label id " + (long) x + " at voxel " + voxel(labels, i)
                        + " is outside the ASPECTS label scheme (0 = background, 1.." + maxId + ")");
            }
        }
    }

    /**
     * A CT in HU has air or fat below -100 HU or bone above 300 HU and values that are not all small whole numbers;
     * a volume holding only whole numbers in [0, maxId] (a label map) or nothing outside [-100, 300] is refused.
     */
    public static void checkCt(Path file, ImageVolume ct, int maxId) {
        float[] v = ct.data();
        boolean labelLike = true;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            if (labelLike && (x != Math.rint(x) || x < 0 || x > maxId)) {
                labelLike = false;
            }
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (labelLike) {
            throw new ToolFailure(file, "holds only whole numbers 0.." + maxId + ": a label map, not a CT in HU");
        }
        if (min > -100 && max < 300) {
            throw new ToolFailure(file, "values " + min + ".." + max + " have no air, fat or bone: not a CT in HU");
        }
    }

    private static String voxel(ImageVolume v, int index) {
        int i = index % v.nx();
        int j = (index / v.nx()) % v.ny();
        int k = index / (v.nx() * v.ny());
        return "(" + i + "," + j + "," + k + ")";
    }
}
