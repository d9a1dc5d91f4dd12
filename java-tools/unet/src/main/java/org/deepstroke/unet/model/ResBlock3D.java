package org.deepstroke.unet.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Residual block: conv3 -> ReLU -> dropout (training graph only) -> conv3 -> [SE] plus the input (through a 1x1
 * projection when the channel count changes) -> ReLU.
 */
public final class ResBlock3D {

    private final String name;
    private final int in;
    private final int out;
    private final double dropout;
    private final boolean squeezeExcite;

    public ResBlock3D(String name, int in, int out, double dropout, boolean squeezeExcite) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.dropout = dropout;
        this.squeezeExcite = squeezeExcite;
    }

    /** @param training true adds dropout; inference graphs have the same variables without it */
    public SDVariable apply(SameDiff sd, SDVariable x, boolean training) {
        SDVariable y = sd.nn().relu(Layers3D.conv(sd, name + "_conv1", x, in, out, 3), 0);
        if (training && dropout > 0) {
            y = sd.nn().dropout(name + "_drop", y, 1.0 - dropout);
        }
        y = Layers3D.conv(sd, name + "_conv2", y, out, out, 3);
        if (squeezeExcite) {
            y = new SqueezeExcite3D(name + "_se", out).apply(sd, y);
        }
        SDVariable skip = in == out ? x : Layers3D.conv(sd, name + "_proj", x, in, out, 1);
        return sd.nn().relu(name + "_out", y.add(skip), 0);
    }
}
