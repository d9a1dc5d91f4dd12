package org.deepstroke.unet.data;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;

/**
 * The network's cubic grid for one subject: the world-axis-aligned (RAS) bounding box of the brain mask plus a
 * margin, divided into size^3 voxels (anisotropic: each axis spans the box, which also normalises head size).
 * Net index 0 runs along world x (R), 1 along y (A), 2 along z (S) whatever the native orientation or gantry
 * tilt, so "left" means the same thing in every sample and a left-right flip is a flip of net axis 0.
 * Sampling goes through world coordinates both ways (native -> net for inputs and labels, net -> native for
 * predictions).
 */
public final class NetGrid {

    /** Added around the brain's bounding box so the skull's inner edge stays in view (mm). */
    public static final double MARGIN_MM = 6.0;

    private final int size;
    private final Affine netToWorld;
    private final Affine worldToNet;

    public NetGrid(int size, Affine netToWorld) {
        this.size = size;
        this.netToWorld = netToWorld;
        this.worldToNet = netToWorld.inverse();
    }

    /** The grid around the non-zero voxels of {@code brainMask} (any grid, any orientation). */
    public static NetGrid aroundMask(ImageVolume brainMask, int size) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] w = new double[3];
        float[] m = brainMask.data();
        Affine a = brainMask.voxelToWorld();
        int nx = brainMask.nx();
        int ny = brainMask.ny();
        boolean any = false;
        for (int z = 0; z < brainMask.nz(); z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    if (m[x + nx * (y + ny * z)] > 0.5f) {
                        a.apply(x, y, z, w);
                        for (int k = 0; k < 3; k++) {
                            lo[k] = Math.min(lo[k], w[k]);
                            hi[k] = Math.max(hi[k], w[k]);
                        }
                        any = true;
                    }
                }
            }
        }
        if (!any) {
            throw new IllegalArgumentException("brain mask is empty");
        }
        double[] spacing = new double[3];
        for (int k = 0; k < 3; k++) {
            lo[k] -= MARGIN_MM;
            hi[k] += MARGIN_MM;
            spacing[k] = (hi[k] - lo[k]) / size;
        }
        // Voxel centres at lo + (i + 0.5) * spacing.
        Affine netToWorld = Affine.diagonal(spacing[0], spacing[1], spacing[2])
                .translate(lo[0] + 0.5 * spacing[0], lo[1] + 0.5 * spacing[1], lo[2] + 0.5 * spacing[2]);
        return new NetGrid(size, netToWorld);
    }

    public int size() {
        return size;
    }

    public Affine netToWorld() {
        return netToWorld;
    }

    /** An empty volume on this grid (for writing net-space images). */
    public ImageVolume blank() {
        return new ImageVolume(size, size, size, new float[size * size * size], netToWorld, 1);
    }

    /** Trilinear sample of {@code source} at every net voxel centre; {@code outside} beyond the source. */
    public float[] sampleLinear(ImageVolume source, float outside) {
        Affine toSource = source.voxelToWorld().inverse().multiply(netToWorld);
        float[] out = new float[size * size * size];
        double[] p = new double[3];
        for (int z = 0, i = 0; z < size; z++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++, i++) {
                    toSource.apply(x, y, z, p);
                    out[i] = Interpolation.trilinear(source, p[0], p[1], p[2], outside);
                }
            }
        }
        return out;
    }

    /** Nearest-neighbour sample of a label map at every net voxel centre; 0 beyond the source. */
    public int[] sampleLabels(ImageVolume labels) {
        Affine toSource = labels.voxelToWorld().inverse().multiply(netToWorld);
        int[] out = new int[size * size * size];
        double[] p = new double[3];
        for (int z = 0, i = 0; z < size; z++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++, i++) {
                    toSource.apply(x, y, z, p);
                    int sx = (int) Math.round(p[0]);
                    int sy = (int) Math.round(p[1]);
                    int sz = (int) Math.round(p[2]);
                    out[i] = labels.contains(sx, sy, sz) ? Math.round(labels.get(sx, sy, sz)) : 0;
                }
            }
        }
        return out;
    }

    /**
     * A net-space label map carried back onto {@code native}'s grid (nearest neighbour); voxels outside the
     * net box get 0, and so do voxels outside {@code mask} when one is given (same grid as native).
     */
    public ImageVolume toNative(int[] netLabels, ImageVolume nativeGrid, boolean[] mask) {
        Affine toNet = worldToNet.multiply(nativeGrid.voxelToWorld());
        float[] out = new float[nativeGrid.size()];
        double[] p = new double[3];
        int nx = nativeGrid.nx();
        int ny = nativeGrid.ny();
        for (int z = 0, i = 0; z < nativeGrid.nz(); z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    if (mask != null && !mask[i]) {
                        continue;
                    }
                    toNet.apply(x, y, z, p);
                    int gx = (int) Math.round(p[0]);
                    int gy = (int) Math.round(p[1]);
                    int gz = (int) Math.round(p[2]);
                    if (gx >= 0 && gy >= 0 && gz >= 0 && gx < size && gy < size && gz < size) {
                        out[i] = netLabels[gx + size * (gy + size * gz)];
                    }
                }
            }
        }
        return nativeGrid.withData(out);
    }
}
