package org.deepstroke.registration.overlay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The set pixels of a legacy overlay as points in world coordinates (RAS mm, the centre of each set voxel).
 *
 * <p>Why points: an overlay is a sparse, gappy outline one pixel wide on a 0.45 mm in-plane grid. Resampling that
 * binary image onto the 2 mm atlas grid with linear interpolation averages each outline pixel with its empty
 * neighbours, so after thresholding most of the outline is gone (measured in OverlayToAtlasToolTest: well over half of
 * the outline voxels lost); nearest neighbour drops every pixel that is not the one sampled. Mapping the points
 * themselves through the registration keeps every one of them at its exact transformed position; they are rasterised
 * on the atlas grid only afterwards. This works on sheared (gantry-tilted) grids too, since only the NIfTI affine is
 * used.
 */
public final class OverlayPoints {

    private OverlayPoints() {
    }

    /** World positions (RAS mm) of the voxels above 0.5, in voxel order. */
    public static List<double[]> fromMask(ImageVolume mask) {
        List<double[]> points = new ArrayList<>();
        float[] d = mask.data();
        for (int z = 0; z < mask.nz(); z++) {
            for (int y = 0; y < mask.ny(); y++) {
                for (int x = 0; x < mask.nx(); x++) {
                    if (d[mask.index(x, y, z)] > 0.5f) {
                        points.add(mask.voxelToWorld().apply(x, y, z));
                    }
                }
            }
        }
        return points;
    }

    /** A TSV of native and mapped positions, one row per point (same order in both lists). */
    public static void write(Path file, List<double[]> nativeRas, List<double[]> atlasRas) throws IOException {
        StringBuilder sb = new StringBuilder("point\tnative_x_ras_mm\tnative_y_ras_mm\tnative_z_ras_mm"
                + "\tatlas_x_ras_mm\tatlas_y_ras_mm\tatlas_z_ras_mm\n");
        for (int i = 0; i < nativeRas.size(); i++) {
            double[] a = nativeRas.get(i);
            double[] b = atlasRas.get(i);
            sb.append(String.format(Locale.ROOT, "%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f%n", i, a[0], a[1], a[2],
                    b[0], b[1], b[2]));
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
