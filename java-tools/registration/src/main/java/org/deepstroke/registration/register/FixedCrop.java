package org.deepstroke.registration.register;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;

/**
 * Crops the fixed (atlas) image to the box of its brain plus a margin. antsRegistration's cost scales with the fixed
 * image's voxels, and a skull-stripped 2 mm template is mostly background: its 128^3 grid holds a brain box of
 * about 75x95x81. The crop keeps world coordinates (the affine is shifted), so transforms stay valid on the full
 * grid; outside the cropped box the warp is zero and only the affine part applies.
 */
final class FixedCrop {

    private FixedCrop() {
    }

    /** The sub-volume of {@code image} covering the non-zero voxels of {@code region} plus {@code marginMm}. */
    static ImageVolume crop(ImageVolume image, ImageVolume region, double marginMm) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int z = 0; z < region.nz(); z++) {
            for (int y = 0; y < region.ny(); y++) {
                for (int x = 0; x < region.nx(); x++) {
                    if (region.get(x, y, z) != 0) {
                        int[] v = {x, y, z};
                        for (int a = 0; a < 3; a++) {
                            lo[a] = Math.min(lo[a], v[a]);
                            hi[a] = Math.max(hi[a], v[a]);
                        }
                    }
                }
            }
        }
        if (hi[0] < 0) {
            return image;
        }
        double[] spacing = image.spacing();
        int[] dims = image.dims();
        for (int a = 0; a < 3; a++) {
            int m = (int) Math.ceil(marginMm / spacing[a]);
            lo[a] = Math.max(0, lo[a] - m);
            hi[a] = Math.min(dims[a] - 1, hi[a] + m);
        }
        int nx = hi[0] - lo[0] + 1;
        int ny = hi[1] - lo[1] + 1;
        int nz = hi[2] - lo[2] + 1;
        float[] out = new float[nx * ny * nz];
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    out[i++] = image.get(lo[0] + x, lo[1] + y, lo[2] + z);
                }
            }
        }
        Affine shift = Affine.ofRows(new double[] {1, 0, 0, lo[0]}, new double[] {0, 1, 0, lo[1]},
                new double[] {0, 0, 1, lo[2]});
        return new ImageVolume(nx, ny, nz, out, image.voxelToWorld().multiply(shift), image.xformCode());
    }
}
