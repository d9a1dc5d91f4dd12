package org.deepstroke.registration.atlas;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;

/**
 * Resamples a volume onto another grid through world coordinates (trilinear, 0 outside the source): for images that
 * already share a physical space but not a grid, e.g. the FSL-grid ASPECTS masks and the SPM-grid MNI CT template.
 */
public final class WorldResampler {

    private WorldResampler() {
    }

    /** {@code source} sampled at the centre of every voxel of {@code grid}; the result lies on {@code grid}. */
    public static ImageVolume resample(ImageVolume source, ImageVolume grid) {
        // target voxel -> world -> source voxel, as one affine.
        Affine targetToSource = source.voxelToWorld().inverse().multiply(grid.voxelToWorld());
        float[] out = new float[grid.size()];
        double[] p = new double[3];
        int i = 0;
        for (int z = 0; z < grid.nz(); z++) {
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    targetToSource.apply(x, y, z, p);
                    // Neighbours outside the source count as 0, the background of masks and templates.
                    out[i++] = Interpolation.trilinear(source, p[0], p[1], p[2], 0f);
                }
            }
        }
        return grid.withData(out);
    }
}
