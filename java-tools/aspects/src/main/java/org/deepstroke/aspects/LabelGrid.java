package org.deepstroke.aspects;

import org.deepstroke.core.image.Affine;
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
        if (labels.sameGrid(ct, 1e-2)) {
            return labels;
        }
        Affine ctToLabels = labels.voxelToWorld().inverse().multiply(ct.voxelToWorld());
        float[] out = new float[ct.size()];
        double[] p = new double[3];
        int i = 0;
        for (int z = 0; z < ct.nz(); z++) {
            for (int y = 0; y < ct.ny(); y++) {
                for (int x = 0; x < ct.nx(); x++) {
                    ctToLabels.apply(x, y, z, p);
                    int lx = (int) Math.floor(p[0] + 0.5);
                    int ly = (int) Math.floor(p[1] + 0.5);
                    int lz = (int) Math.floor(p[2] + 0.5);
                    out[i++] = labels.contains(lx, ly, lz) ? labels.get(lx, ly, lz) : 0f;
                }
            }
        }
        return ct.withData(out);
    }
}
