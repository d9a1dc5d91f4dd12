package org.deepstroke.registration.overlay;

import java.util.List;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;

/** Points (RAS mm) counted into the voxels of a grid: each point goes to the voxel whose centre is nearest. */
public final class PointRaster {

    /** Points per voxel on the grid, and how many points fell outside it. */
    public record Result(ImageVolume counts, int inside, int outside) {

        /** 1 where at least one point fell, else 0: the overlay in the grid's space. */
        public ImageVolume hits() {
            float[] c = counts.data();
            float[] h = new float[c.length];
            for (int i = 0; i < c.length; i++) {
                h[i] = c[i] > 0 ? 1 : 0;
            }
            return counts.withData(h);
        }

        public long hitVoxels() {
            long n = 0;
            for (float v : counts.data()) {
                n += v > 0 ? 1 : 0;
            }
            return n;
        }
    }

    private PointRaster() {
    }

    public static Result count(List<double[]> pointsRas, ImageVolume grid) {
        ImageVolume counts = grid.blankLike();
        Affine worldToVoxel = grid.voxelToWorld().inverse();
        double[] v = new double[3];
        int inside = 0;
        int outside = 0;
        for (double[] p : pointsRas) {
            worldToVoxel.apply(p[0], p[1], p[2], v);
            int x = (int) Math.round(v[0]);
            int y = (int) Math.round(v[1]);
            int z = (int) Math.round(v[2]);
            if (counts.contains(x, y, z)) {
                counts.data()[counts.index(x, y, z)]++;
                inside++;
            } else {
                outside++;
            }
        }
        return new Result(counts, inside, outside);
    }
}
