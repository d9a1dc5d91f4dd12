package org.deepstroke.unet.model;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * 3-D decoder: per level, 2x nearest upsampling, then (when skips are given) concatenation with the encoder's
 * output of that level, then a {@link ResBlock3D}. Without skips it is a plain CNN decoder.
 */
public final class CNNDecoder3D {

    private final UNetConfig config;

    public CNNDecoder3D(UNetConfig config) {
        this.config = config;
    }

    /** @param skips the encoder's per-level outputs, shallowest first, or null for no skip connections */
    public SDVariable decode(SameDiff sd, SDVariable bottleneck, List<SDVariable> skips, boolean training) {
        SDVariable x = bottleneck;
        int in = config.channels(config.depth() - 1);
        for (int level = config.depth() - 2; level >= 0; level--) {
            x = Layers3D.upsample2(sd, "dec" + level + "_up", x);
            int blockIn = in;
            if (skips != null) {
                x = sd.concat("dec" + level + "_cat", 1, x, skips.get(level));
                blockIn = in + config.channels(level);
            }
            int out = config.channels(level);
            x = new ResBlock3D("dec" + level, blockIn, out, config.dropout(), config.squeezeExcite(),
                    config.volumeSize() >> level).apply(sd, x, training);
            in = out;
        }
        return x;
    }
}
