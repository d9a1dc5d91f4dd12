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

    /**
     * {@code labels} itself when on the CT's grid, the same values on the CT's exact grid when within 0.01 mm of it
     * (the QC renderer asks 1e-4: a header bit flip in the fuzz test gave a grid within 0.01 but not 1e-4, and the
     * QC image failed after the tables were written), else resampled by nearest neighbour.
     */
    public static ImageVolume onGridOf(ImageVolume labels, ImageVolume ct) {
        ImageVolume on = Interpolation.nearestOnto(labels, ct, 1e-2);
        if (on == labels && !labels.sameGrid(ct, 1e-4)) {
            return new ImageVolume(ct.nx(), ct.ny(), ct.nz(), labels.data(), ct.voxelToWorld(), ct.xformCode());
        }
        return on;
    }
}
