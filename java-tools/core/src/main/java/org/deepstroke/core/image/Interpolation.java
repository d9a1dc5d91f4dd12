package org.deepstroke.core.image;

/** Sampling a voxel grid between voxel centres. */
public final class Interpolation {

    private Interpolation() {
    }

    /**
     * Trilinear interpolation at continuous voxel coordinates (x, y, z) of a volume stored x fastest; neighbours
     * outside the grid take the value {@code outside} (air for CT, 0 for masks), so edges fade rather than clamp.
     */
    public static float trilinear(float[] v, int nx, int ny, int nz, double x, double y, double z, float outside) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        if (x0 < -1 || y0 < -1 || z0 < -1 || x0 >= nx || y0 >= ny || z0 >= nz) {
            return outside;
        }
        double fx = x - x0;
        double fy = y - y0;
        double fz = z - z0;
        if (x0 >= 0 && y0 >= 0 && z0 >= 0 && x0 < nx - 1 && y0 < ny - 1 && z0 < nz - 1) {
            // Interior: all eight neighbours exist (the common, fast case).
            int i = x0 + nx * (y0 + ny * z0);
            int sy = nx;
            int sz = nx * ny;
            double c00 = v[i] + fx * (v[i + 1] - v[i]);
            double c10 = v[i + sy] + fx * (v[i + sy + 1] - v[i + sy]);
            double c01 = v[i + sz] + fx * (v[i + sz + 1] - v[i + sz]);
            double c11 = v[i + sz + sy] + fx * (v[i + sz + sy + 1] - v[i + sz + sy]);
            double c0 = c00 + fy * (c10 - c00);
            double c1 = c01 + fy * (c11 - c01);
            return (float) (c0 + fz * (c1 - c0));
        }
        double sum = 0;
        for (int dz = 0; dz <= 1; dz++) {
            double wz = dz == 0 ? 1 - fz : fz;
            for (int dy = 0; dy <= 1; dy++) {
                double wy = dy == 0 ? 1 - fy : fy;
                for (int dx = 0; dx <= 1; dx++) {
                    double w = (dx == 0 ? 1 - fx : fx) * wy * wz;
                    int xx = x0 + dx;
                    int yy = y0 + dy;
                    int zz = z0 + dz;
                    boolean in = xx >= 0 && yy >= 0 && zz >= 0 && xx < nx && yy < ny && zz < nz;
                    sum += w * (in ? v[xx + nx * (yy + ny * zz)] : outside);
                }
            }
        }
        return (float) sum;
    }

    /** {@link #trilinear(float[], int, int, int, double, double, double, float)} on a volume. */
    public static float trilinear(ImageVolume v, double x, double y, double z, float outside) {
        return trilinear(v.data(), v.nx(), v.ny(), v.nz(), x, y, z, outside);
    }

    /**
     * {@code source} on the grid of {@code grid} by nearest neighbour through world coordinates (0 outside):
     * {@code source} itself when the grids agree within {@code toleranceMm}. For label maps and masks, whose values
     * must never be blended (e.g. truth on a gantry-tilted acquisition grid vs the tilt-corrected CT).
     */
    public static ImageVolume nearestOnto(ImageVolume source, ImageVolume grid, double toleranceMm) {
        if (source.sameGrid(grid, toleranceMm)) {
            return source;
        }
        return onto(source, grid, p -> {
            int sx = (int) Math.round(p[0]);
            int sy = (int) Math.round(p[1]);
            int sz = (int) Math.round(p[2]);
            return source.contains(sx, sy, sz) ? source.get(sx, sy, sz) : 0f;
        });
    }

    /**
     * {@code source} sampled trilinearly at the centre of every voxel of {@code grid} through world coordinates
     * (neighbours outside the source count as 0, the background of masks and templates): for images that share a
     * physical space but not a grid, e.g. the FSL-grid ASPECTS masks and the SPM-grid MNI CT template.
     */
    public static ImageVolume trilinearOnto(ImageVolume source, ImageVolume grid) {
        return onto(source, grid, p -> trilinear(source, p[0], p[1], p[2], 0f));
    }

    /** A source-voxel coordinate (x, y, z, possibly fractional) to a value. */
    private interface Sampler {
        float at(double[] sourceVoxel);
    }

    /** Every voxel of {@code grid} -> world -> {@code source} voxel (one affine), valued by {@code sampler}. */
    private static ImageVolume onto(ImageVolume source, ImageVolume grid, Sampler sampler) {
        Affine gridToSource = source.voxelToWorld().inverse().multiply(grid.voxelToWorld());
        float[] out = new float[grid.size()];
        double[] p = new double[3];
        int i = 0;
        for (int z = 0; z < grid.nz(); z++) {
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++, i++) {
                    gridToSource.apply(x, y, z, p);
                    out[i] = sampler.at(p);
                }
            }
        }
        return grid.withData(out);
    }
}
