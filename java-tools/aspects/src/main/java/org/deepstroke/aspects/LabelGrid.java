package org.deepstroke.aspects;

import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.ImageVolume;

/**
 * Brings a label map onto the CT's grid. Maps from every source (truth, back-projection, U-Net) normally share the
 * CT's grid; when they do not (e.g. phantom truth on a gantry-tilted acquisition grid vs the tilt-corrected CT),
 * each CT voxel takes the label at its world position, nearest neighbour (label ids must never be blended).
 */
public final class LabelGrid {

    private LabelGrid() {
    }

    /** {@code labels} itself when on the CT's grid (0.01 mm tolerance), else resampled by nearest neighbour. */
    public static ImageVolume onGridOf(ImageVolume labels, ImageVolume ct) {
        return Interpolation.nearestOnto(labels, ct, 1e-2);
    }
}
