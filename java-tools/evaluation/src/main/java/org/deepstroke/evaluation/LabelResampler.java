package org.deepstroke.evaluation;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;

/**
 * Puts a label map onto another grid through world coordinates, nearest neighbour (labels must not blend): e.g. the
 * truth of a tilted scan, kept on the acquisition grid, onto the prediction's orthogonal grid. Outside: 0.
 */
public final class LabelResampler {

    private LabelResampler() {
    }

    /** {@code labels} sampled at every voxel centre of {@code grid}; returns {@code labels} itself on the same grid. */
    public static ImageVolume nearestOnto(ImageVolume labels, ImageVolume grid) {
        if (labels.sameGrid(grid, 1e-3)) {
            return labels;
        }
        Affine gridToSource = labels.voxelToWorld().inverse().multiply(grid.voxelToWorld());
        float[] out = new float[grid.size()];
        double[] p = new double[3];
        int i = 0;
        for (int z = 0; z < grid.nz(); z++) {
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++, i++) {
                    gridToSource.apply(x, y, z, p);
                    int sx = (int) Math.round(p[0]);
                    int sy = (int) Math.round(p[1]);
                    int sz = (int) Math.round(p[2]);
                    out[i] = labels.contains(sx, sy, sz) ? labels.get(sx, sy, sz) : 0f;
                }
            }
        }
        return grid.withData(out);
    }
}
