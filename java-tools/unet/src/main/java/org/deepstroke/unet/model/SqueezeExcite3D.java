package org.deepstroke.unet.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Squeeze-and-excitation (Hu et al. 2018) for 3-D feature maps: global mean over D, H, W -> dense (C / r) ->
 * ReLU -> dense (C) -> sigmoid -> per-channel rescaling of the input.
 */
public final class SqueezeExcite3D {

    private final String name;
    private final int channels;

    public SqueezeExcite3D(String name, int channels) {
        this.name = name;
        this.channels = channels;
    }

    public SDVariable apply(SameDiff sd, SDVariable x) {
        int hidden = Math.max(1, channels / UNetConfig.SE_REDUCTION);
        SDVariable squeezed = x.mean(2, 3, 4); // [N, C]
        SDVariable z = sd.nn().relu(Layers3D.dense(sd, name + "_fc1", squeezed, channels, hidden), 0);
        SDVariable gate = sd.nn().sigmoid(Layers3D.dense(sd, name + "_fc2", z, hidden, channels));
        SDVariable g5 = sd.expandDims(sd.expandDims(sd.expandDims(gate, 2), 3), 4); // [N, C, 1, 1, 1]
        return x.mul(name + "_out", g5);
    }
}
