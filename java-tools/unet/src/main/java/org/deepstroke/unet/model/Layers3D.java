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
     * Instance normalisation (per volume and channel over D, H, W; learned scale and shift), as MONAI's UNet uses:
     * batch-size independent, no running statistics, so training and inference graphs normalise alike. Built
     * from mean/sub/mul ops because those differentiate reliably in SameDiff M2.1.
     */
    static SDVariable instanceNorm(SameDiff sd, String name, SDVariable x, int channels) {
        SDVariable gamma = sd.var(name + "_gamma", new org.nd4j.weightinit.impl.OneInitScheme('c'), DataType.FLOAT,
                1, channels, 1, 1, 1);
        SDVariable beta = sd.var(name + "_beta", new ZeroInitScheme('c'), DataType.FLOAT, 1, channels, 1, 1, 1);
        SDVariable centred = x.sub(x.mean(true, 2, 3, 4));
        SDVariable variance = centred.mul(centred).mean(true, 2, 3, 4);
        SDVariable normed = centred.div(sd.math().sqrt(variance.add(1e-5)));
        return normed.mul(gamma).add(name, beta);
    }

    /** A dense layer on [N, in] with a weight [in, out] and bias [out]. */
    static SDVariable dense(SameDiff sd, String name, SDVariable x, int in, int out) {
        SDVariable w = sd.var(name + "_W", new ReluInitScheme('c', in), DataType.FLOAT, in, out);
        SDVariable b = sd.var(name + "_b", new ZeroInitScheme('c'), DataType.FLOAT, out);
        return x.mmul(w).add(b);
    }
}
