package org.deepstroke.unet.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Plain 3-D CNN encoder: one {@link ResBlock3D} per level, 2x max pooling between levels, channels doubling.
 * {@link #encode} returns the deepest features; {@link UNetEncoder3D} also exposes the per-level outputs.
 */
public class CNNEncoder3D {

    protected final UNetConfig config;

    public CNNEncoder3D(UNetConfig config) {
        this.config = config;
    }

    public SDVariable encode(SameDiff sd, SDVariable input, boolean training) {
        return run(sd, input, training).get(config.depth() - 1);
    }

    /** The output of every level before pooling, shallowest first; the last is the bottleneck. */
    protected List<SDVariable> run(SameDiff sd, SDVariable input, boolean training) {
        List<SDVariable> levels = new ArrayList<>();
        SDVariable x = input;
        int in = config.inputChannels();
        for (int level = 0; level < config.depth(); level++) {
            if (level > 0) {
                x = Layers3D.maxPool2(sd, "enc" + level + "_pool", x);
            }
            int out = config.channels(level);
            x = new ResBlock3D("enc" + level, in, out, config.dropout(), config.squeezeExcite(),
                    config.volumeSize() >> level).apply(sd, x, training);
            levels.add(x);
            in = out;
        }
        return levels;
    }
}
