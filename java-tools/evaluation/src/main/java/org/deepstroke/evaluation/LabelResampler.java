package org.deepstroke.evaluation;

import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;

/**
 * Puts a label map onto another grid through world coordinates, nearest neighbour (labels must not blend): e.g. the
 * truth of a tilted scan, kept on the acquisition grid, onto the prediction's orthogonal grid. Outside: 0.
 */
public final class LabelResampler {

    private LabelResampler() {
    }

    /** {@code labels} sampled at every voxel centre of {@code grid}; returns {@code labels} itself on the same grid. */
    public static ImageVolume nearestOnto(ImageVolume labels, ImageVolume grid) {
        return Interpolation.nearestOnto(labels, grid, 1e-3);
    }
}
