package org.deepstroke.registration.overlay;

import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.ops.DistanceTransform;
import org.deepstroke.core.qc.SliceRenderer;
import org.deepstroke.core.image.ops.GaussianSmoothing;

/**
 * Image operations of the overlay refinement, all within axial planes: overlays are outlines drawn on axial slices,
 * so they are compared with the atlas plane by plane (see RefineOverlayTool).
 */
public final class OutlineImage {

    private OutlineImage() {
    }

    /**
     * The region boundaries of a label map drawn in axial planes: 1 on a labelled voxel whose in-plane 4-neighbour
     * has another label (a neighbouring region or background), as a radiologist's outline of each region.
     */
    public static ImageVolume boundary(ImageVolume labels) {
        int axial = axialAxis(labels);
        int[] dims = labels.dims();
        float[] out = new float[labels.size()];
        int[] v = new int[3];
        for (int z = 0; z < dims[2]; z++) {
            for (int y = 0; y < dims[1]; y++) {
                for (int x = 0; x < dims[0]; x++) {
                    float l = labels.get(x, y, z);
                    if (l == 0) {
                        continue;
                    }
                    boolean edge = false;
                    for (int axis = 0; axis < 3 && !edge; axis++) {
                        if (axis == axial) {
                            continue;
                        }
                        for (int d = -1; d <= 1 && !edge; d += 2) {
                            v[0] = x;
                            v[1] = y;
                            v[2] = z;
                            v[axis] += d;
                            edge = !labels.contains(v[0], v[1], v[2]) || labels.get(v[0], v[1], v[2]) != l;
                        }
                    }
                    out[labels.index(x, y, z)] = edge ? 1 : 0;
                }
            }
        }
        return labels.withData(out);
    }

    /** The voxel axis closest to superior-inferior. */
    public static int axialAxis(ImageVolume image) {
        return SliceRenderer.of(image, 0, 1).axialAxis();
    }

    /** Gaussian smoothing within axial planes (sigma mm), scaled to a maximum of 1 (unchanged when all zero). */
    public static ImageVolume smoothInPlane(ImageVolume binary, double sigmaMm) {
        double[] sigma = {sigmaMm, sigmaMm, sigmaMm};
        sigma[axialAxis(binary)] = 0;
        ImageVolume s = GaussianSmoothing.smooth(binary, sigma);
        float max = 0;
        for (float x : s.data()) {
            max = Math.max(max, x);
        }
        if (max > 0) {
            for (int i = 0; i < s.size(); i++) {
                s.data()[i] /= max;
            }
        }
        return s;
    }

    /** In-plane distance (mm) from every voxel to the nearest set voxel of the same axial plane. */
    public static float[] inPlaneDistance(ImageVolume binary) {
        double[] spacing = binary.spacing().clone();
        spacing[axialAxis(binary)] = 1e4; // other planes are out of reach
        boolean[] feature = new boolean[binary.size()];
        for (int i = 0; i < feature.length; i++) {
            feature[i] = binary.data()[i] > 0.5f;
        }
        float[] d = DistanceTransform.squaredDistanceTo(feature, binary.nx(), binary.ny(), binary.nz(), spacing);
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.sqrt(d[i]);
        }
        return d;
    }
}
