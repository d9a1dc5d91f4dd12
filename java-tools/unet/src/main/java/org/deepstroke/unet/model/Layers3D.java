package org.deepstroke.unet.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling3D;
import org.nd4j.weightinit.impl.ReluInitScheme;
import org.nd4j.weightinit.impl.ZeroInitScheme;

/**
 * The SameDiff building blocks shared by the named parts. Everything is NCDHW: Conv3DConfig defaults to NDHWC,
 * so the format is set explicitly (see ../shared/notes/dl4j.md). Weights are He-initialised from ND4J's seeded RNG.
 */
final class Layers3D {

    private Layers3D() {
    }

    /** A k x k x k convolution, same padding, stride 1, with bias. Weight layout [kD, kH, kW, in, out]. */
    static SDVariable conv(SameDiff sd, String name, SDVariable x, int in, int out, int k) {
        SDVariable w = sd.var(name + "_W", new ReluInitScheme('c', (double) in * k * k * k), DataType.FLOAT,
                k, k, k, in, out);
        SDVariable b = sd.var(name + "_b", new ZeroInitScheme('c'), DataType.FLOAT, out);
        Conv3DConfig cfg = Conv3DConfig.builder().kD(k).kH(k).kW(k).sD(1).sH(1).sW(1).pD(k / 2).pH(k / 2)
                .pW(k / 2).dD(1).dH(1).dW(1).biasUsed(true).paddingMode(PaddingMode.SAME).dataFormat("NCDHW")
                .build();
        return sd.cnn().conv3d(name, x, w, b, cfg);
    }

    static SDVariable maxPool2(SameDiff sd, String name, SDVariable x) {
        Pooling3DConfig cfg = Pooling3DConfig.builder().kD(2).kH(2).kW(2).sD(2).sH(2).sW(2).pD(0).pH(0).pW(0)
                .dD(1).dH(1).dW(1).type(Pooling3D.Pooling3DType.MAX).isSameMode(false).isNCDHW(true).build();
        return sd.cnn().maxPooling3d(name, x, cfg);
    }

    static SDVariable upsample2(SameDiff sd, String name, SDVariable x) {
        return sd.cnn().upsampling3d(name, x, true, 2, 2, 2);
    }

    /**
     * Softmax over the channel axis of an NCDHW tensor, computed channels-last: permute to NDHWC, softmax over the
     * last (contiguous) axis, permute back. Same values as {@code sd.nn().softmax(x, 1)} (to 4e-7), but ND4J's
     * softmax and softmax_bp along a strided axis were the two most expensive ops of a training iteration: 0.84 s
     * of 2.35 s at 64^3 with 21 classes (UNetBenchmark --profile, 2026-12-07), against 0.07-0.14 s this way.
     */
    static SDVariable channelSoftmax(SameDiff sd, String name, SDVariable x) {
        SDVariable channelsLast = sd.permute(x, 0, 2, 3, 4, 1);
        SDVariable p = sd.nn().softmax(channelsLast, 4);
        return sd.permute(name, p, 0, 4, 1, 2, 3);
    }

    /**
     * Instance normalisation (per volume and channel over D, H, W; learned scale and shift), as MONAI's UNet uses:
     * batch-size independent, no running statistics, so training and inference graphs normalise alike. One fused
     * {@code layer_norm} op over axes 2, 3, 4 with the gain and bias along the channel axis (channels first): that
     * is instance normalisation. It replaced a graph of mean/sub/mul/div/sqrt ops and broadcast multiply/add,
     * whose backward ops (multiply_bp with a [1, C, 1, 1, 1] operand: ~60 ms each at 64^3 x 8 channels) were
     * a third of a training iteration (UNetBenchmark --profile, 2026-12-07). ND4J's standardize inside it
     * adds its epsilon differently (outputs differ by < 1e-4 from (x - mean) / sqrt(var + 1e-5); the test
     * checks values and gradients against that formula). The variables keep their [1, C, 1, 1, 1] shape, so
     * models saved before load unchanged.
     */
    static SDVariable instanceNorm(SameDiff sd, String name, SDVariable x, int channels) {
        SDVariable gamma = sd.var(name + "_gamma", new org.nd4j.weightinit.impl.OneInitScheme('c'), DataType.FLOAT,
                1, channels, 1, 1, 1);
        SDVariable beta = sd.var(name + "_beta", new ZeroInitScheme('c'), DataType.FLOAT, 1, channels, 1, 1, 1);
        return instanceNorm(sd, name, x, gamma, beta, channels);
    }

    /** Instance normalisation with the given scale and shift variables, [1, C, 1, 1, 1] each. */
    static SDVariable instanceNorm(SameDiff sd, String name, SDVariable x, SDVariable gamma, SDVariable beta,
            int channels) {
        return sd.nn().layerNorm(name, x, gamma.reshape(channels), beta.reshape(channels), true, 2, 3, 4);
    }

    /** A dense layer on [N, in] with a weight [in, out] and bias [out]. */
    static SDVariable dense(SameDiff sd, String name, SDVariable x, int in, int out) {
        SDVariable w = sd.var(name + "_W", new ReluInitScheme('c', in), DataType.FLOAT, in, out);
        SDVariable b = sd.var(name + "_b", new ZeroInitScheme('c'), DataType.FLOAT, out);
        return x.mmul(w).add(b);
    }
}
