package org.deepstroke.unet.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

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
        return channelScale(sd, name + "_out", x, gate, channels);
    }

    /**
     * x [N, C, D, H, W] times s [N, C] per channel, as a batched matrix product diag(s[n]) x[n] on x seen as
     * [N, C, D*H*W]. Same values as the broadcast {@code x * s[:, :, None, None, None]}, but ND4J's multiply_bp
     * for that broadcast took ~65 ms per 64^3 x 8-channel map (UNetBenchmark --profile, 2026-12-07), where
     * matmul_bp's two small GEMMs cost a few ms.
     */
    static SDVariable channelScale(SameDiff sd, String name, SDVariable x, SDVariable s, int channels) {
        SDVariable shape = sd.shape(x);
        SDVariable flatShape = sd.concat(0, shape.get(SDIndex.interval(0, 2)),
                sd.constant(Nd4j.createFromArray(-1L).castTo(shape.dataType())));
        SDVariable diag = sd.math().eye(channels).reshape(1, channels, channels).mul(sd.expandDims(s, 1));
        SDVariable scaled = sd.mmul(diag, sd.reshape(x, flatShape));
        return sd.reshape(name, scaled, shape);
    }
}
