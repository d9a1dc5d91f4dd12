package org.deepstroke.onescan;

import java.io.IOException;
import java.nio.file.Path;
import org.deepstroke.aspects.LabelGrid;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;

/**
 * The U-Net lesion head's early-ischaemia map (0/1) on the CT's grid and its volume. A research output shown beside
 * the score: the score itself comes from the region HU, not from this map.
 */
record LesionMap(ImageVolume map, double ml) {

    /** The map on the CT's exact grid (as aspects-score brings the labels: the SEG's frames are the CT's slices). */
    static LesionMap of(ImageVolume lesion, ImageVolume ct) {
        ImageVolume map = LabelGrid.onGridOf(lesion, ct);
        long voxels = 0;
        for (float v : map.data()) {
            voxels += Math.round(v) == 1 ? 1 : 0;
        }
        double[] sp = map.spacing();
        return new LesionMap(map, voxels * sp[0] * sp[1] * sp[2] / 1000.0);
    }

    /** NIfTI, 8 bit, atomically (NiftiWriter). */
    void write(Path file) throws IOException {
        NiftiWriter.write(map, file, NiftiDatatype.UINT8);
    }
}
