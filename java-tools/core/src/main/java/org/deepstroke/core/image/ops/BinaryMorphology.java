package org.deepstroke.core.image.ops;

/**
 * Binary masks on a voxel grid: erosion and dilation by a ball of a radius in millimetres, connected components,
 * hole filling. Masks are boolean arrays in the volume's index order (x fastest).
 */
public final class BinaryMorphology {

    private BinaryMorphology() {
    }

    /** Voxels of the mask farther than {@code radiusMm} from every voxel outside it. */
    public static boolean[] erode(boolean[] mask, int nx, int ny, int nz, double[] spacing, double radiusMm) {
        boolean[] outside = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            outside[i] = !mask[i];
        }
        float[] d = DistanceTransform.squaredDistanceTo(outside, nx, ny, nz, spacing);
        double r2 = radiusMm * radiusMm;
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = mask[i] && d[i] > r2;
        }
        return out;
    }

    /** Voxels within {@code radiusMm} of the mask. */
    public static boolean[] dilate(boolean[] mask, int nx, int ny, int nz, double[] spacing, double radiusMm) {
        float[] d = DistanceTransform.squaredDistanceTo(mask, nx, ny, nz, spacing);
        double r2 = radiusMm * radiusMm;
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = d[i] <= r2;
        }
        return out;
    }

    /**
     * Component labels by 6-connectivity: 0 outside the mask, 1..n inside, numbered in scan order.
     *
     * @return the labels; {@code sizes[label]} via {@link #componentSizes}
     */
    public static int[] label(boolean[] mask, int nx, int ny, int nz) {
        int[] labels = new int[mask.length];
        int next = 0;
        int[] queue = new int[mask.length];
        int slice = nx * ny;
        for (int seed = 0; seed < mask.length; seed++) {
            if (!mask[seed] || labels[seed] != 0) {
                continue;
            }
            next++;
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            labels[seed] = next;
            while (head < tail) {
                int i = queue[head++];
                int x = i % nx;
                int y = (i / nx) % ny;
                int z = i / slice;
                if (x > 0 && mask[i - 1] && labels[i - 1] == 0) {
                    labels[i - 1] = next;
                    queue[tail++] = i - 1;
                }
                if (x < nx - 1 && mask[i + 1] && labels[i + 1] == 0) {
                    labels[i + 1] = next;
                    queue[tail++] = i + 1;
                }
                if (y > 0 && mask[i - nx] && labels[i - nx] == 0) {
                    labels[i - nx] = next;
                    queue[tail++] = i - nx;
                }
                if (y < ny - 1 && mask[i + nx] && labels[i + nx] == 0) {
                    labels[i + nx] = next;
                    queue[tail++] = i + nx;
                }
                if (z > 0 && mask[i - slice] && labels[i - slice] == 0) {
                    labels[i - slice] = next;
                    queue[tail++] = i - slice;
                }
                if (z < nz - 1 && mask[i + slice] && labels[i + slice] == 0) {
                    labels[i + slice] = next;
                    queue[tail++] = i + slice;
                }
            }
        }
        return labels;
    }

    /** Voxel count per label (index 0 unused). */
    public static long[] componentSizes(int[] labels) {
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        long[] sizes = new long[max + 1];
        for (int l : labels) {
            if (l > 0) {
                sizes[l]++;
            }
        }
        return sizes;
    }

    /** The largest 6-connected component (ties: the first in scan order); empty when the mask is. */
    public static boolean[] largestComponent(boolean[] mask, int nx, int ny, int nz) {
        int[] labels = label(mask, nx, ny, nz);
        long[] sizes = componentSizes(labels);
        int best = 0;
        for (int l = 1; l < sizes.length; l++) {
            if (sizes[l] > sizes[best]) {
                best = l;
            }
        }
        boolean[] out = new boolean[mask.length];
        if (best == 0) {
            return out;
        }
        for (int i = 0; i < mask.length; i++) {
            out[i] = labels[i] == best;
        }
        return out;
    }

    /** Fills every background region not connected (6-connectivity) to the volume's border, in 3-D. */
    public static boolean[] fillHoles(boolean[] mask, int nx, int ny, int nz) {
        boolean[] reached = new boolean[mask.length];
        int[] queue = new int[mask.length];
        int head = 0;
        int tail = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    // A single slice has no z border: its holes are judged in-plane.
                    boolean border = x == 0 || y == 0 || x == nx - 1 || y == ny - 1
                            || (nz > 1 && (z == 0 || z == nz - 1));
                    int i = x + nx * (y + ny * z);
                    if (border && !mask[i] && !reached[i]) {
                        reached[i] = true;
                        queue[tail++] = i;
                    }
                }
            }
        }
        int slice = nx * ny;
        while (head < tail) {
            int i = queue[head++];
            int x = i % nx;
            int y = (i / nx) % ny;
            int z = i / slice;
            int[] neighbours = {x > 0 ? i - 1 : -1, x < nx - 1 ? i + 1 : -1, y > 0 ? i - nx : -1,
                y < ny - 1 ? i + nx : -1, z > 0 ? i - slice : -1, z < nz - 1 ? i + slice : -1};
            for (int j : neighbours) {
                if (j >= 0 && !mask[j] && !reached[j]) {
                    reached[j] = true;
                    queue[tail++] = j;
                }
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = !reached[i];
        }
        return out;
    }

    /** Fills holes slice by slice (axial): closes sulci and cisterns open to the top or bottom of the stack. */
    public static boolean[] fillHolesPerSlice(boolean[] mask, int nx, int ny, int nz) {
        boolean[] out = new boolean[mask.length];
        int slice = nx * ny;
        for (int z = 0; z < nz; z++) {
            boolean[] plane = new boolean[slice];
            System.arraycopy(mask, z * slice, plane, 0, slice);
            System.arraycopy(fillHoles(plane, nx, ny, 1), 0, out, z * slice, slice);
        }
        return out;
    }

    /** Dice overlap 2|A∩B| / (|A| + |B|) (1 when both are empty). */
    public static double dice(boolean[] a, boolean[] b) {
        long inter = 0;
        long sa = 0;
        long sb = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i]) {
                sa++;
            }
            if (b[i]) {
                sb++;
            }
            if (a[i] && b[i]) {
                inter++;
            }
        }
        return sa + sb == 0 ? 1.0 : 2.0 * inter / (sa + sb);
    }
}
