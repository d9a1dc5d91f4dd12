package org.deepstroke.registration.overlay;

import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;

/**
 * The voxelwise mean of atlas-space overlays and the number of overlays that are set (> 0) at each voxel. With the
 * binary overlays of overlay-to-atlas the mean is the fraction of subjects whose outline passes through the voxel:
 * the mean overlay template.
 */
public final class OverlayAggregate {

    /** Tolerance for "the same grid": far below a voxel, above float rounding of affines. */
    public static final double GRID_TOLERANCE_MM = 1e-3;

    public record Result(ImageVolume mean, ImageVolume count, int overlays) {
    }

    private OverlayAggregate() {
    }

    /** Reads the overlays one at a time (memory: two volumes), each required on {@code reference}'s grid. */
    public static Result of(List<Path> overlays, ImageVolume reference, Path referenceFile) {
        double[] sum = new double[reference.size()];
        float[] count = new float[reference.size()];
        for (Path file : overlays) {
            ImageVolume o = NiftiReader.read(file);
            if (!o.sameGrid(reference, GRID_TOLERANCE_MM)) {
                throw new ToolFailure(file, "not on the reference grid of " + referenceFile
                        + " (map overlays into atlas space with overlay-to-atlas first)");
            }
            float[] d = o.data();
            for (int i = 0; i < d.length; i++) {
                if (!Float.isFinite(d[i])) {
                    throw new ToolFailure(file, "non-finite value at voxel " + i);
                }
                sum[i] += d[i];
                if (d[i] > 0) {
                    count[i]++;
                }
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / overlays.size());
        }
        return new Result(reference.withData(mean), reference.withData(count), overlays.size());
    }
}
