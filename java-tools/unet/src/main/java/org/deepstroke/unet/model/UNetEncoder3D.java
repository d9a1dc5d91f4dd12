package org.deepstroke.unet.model;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** The {@link CNNEncoder3D} with its skip outputs exposed for a U-Net decoder. */
public final class UNetEncoder3D extends CNNEncoder3D {

    /** @param skips per-level outputs, shallowest first (without the bottleneck) */
    public record Output(SDVariable bottleneck, List<SDVariable> skips) {
    }

    public UNetEncoder3D(UNetConfig config) {
        super(config);
    }

    public Output encodeWithSkips(SameDiff sd, SDVariable input, boolean training) {
        List<SDVariable> levels = run(sd, input, training);
        return new Output(levels.get(levels.size() - 1), levels.subList(0, levels.size() - 1));
    }
}
