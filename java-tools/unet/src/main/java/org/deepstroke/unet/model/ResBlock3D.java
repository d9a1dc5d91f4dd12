package org.deepstroke.unet.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Residual block: conv3 -> instance norm -> ReLU -> inverted dropout (training graph only) -> conv3 -> instance
 * norm -> [SE] plus the input (through a 1x1
 * projection when the channel count changes) -> ReLU.
 */
public final class ResBlock3D {

    private final String name;
    private final int in;
    private final int out;
    private final double dropout;
    private final boolean squeezeExcite;
    private final int spatial;

    /** @param spatial the feature map's edge (voxels) at this block: dropout masks need a static shape */
    public ResBlock3D(String name, int in, int out, double dropout, boolean squeezeExcite, int spatial) {
        this.spatial = spatial;
        this.name = name;
        this.in = in;
        this.out = out;
        this.dropout = dropout;
        this.squeezeExcite = squeezeExcite;
    }

    /** @param training true adds dropout; inference graphs have the same variables without it */
    public SDVariable apply(SameDiff sd, SDVariable x, boolean training) {
        SDVariable y = sd.nn().relu(Layers3D.instanceNorm(sd, name + "_norm1",
                Layers3D.conv(sd, name + "_conv1", x, in, out, 3), out), 0);
        if (training && dropout > 0) {
            // Inverted dropout from a Bernoulli mask [1, C, D, H, W] (shared by the batch's volumes). SameDiff's own
            // dropout op has no gradient in M2.1 (DropOut.doDiff throws), and random ops take static shapes only.
            SDVariable keep = sd.random().bernoulli(name + "_keep", 1.0 - dropout, DataType.FLOAT, 1, out, spatial,
                    spatial, spatial);
            y = y.mul(keep).div(name + "_drop", 1.0 - dropout);
        }
        y = Layers3D.instanceNorm(sd, name + "_norm2", Layers3D.conv(sd, name + "_conv2", y, out, out, 3), out);
        if (squeezeExcite) {
            y = new SqueezeExcite3D(name + "_se", out).apply(sd, y);
        }
        SDVariable skip = in == out ? x : Layers3D.conv(sd, name + "_proj", x, in, out, 1);
        return sd.nn().relu(name + "_out", y.add(skip), 0);
    }
}
