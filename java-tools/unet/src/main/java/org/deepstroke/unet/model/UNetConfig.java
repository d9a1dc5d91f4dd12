package org.deepstroke.unet.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters that fix the network's shape (saved next to the weights in model.zip, so prediction rebuilds
 * the same graph). The seed used base 8, depth 4, dropout 0.2, SE on, 256^3 and 11 classes.
 *
 * @param inputChannels 1 (CT) or 4 (CT + three normalised coordinate channels)
 * @param classes 11 (background + 10 regions, hemispheres merged) or 21 (lateralised, ids 0..20)
 * @param baseChannels channels of the first level; doubled at every level
 * @param depth number of resolution levels (depth - 1 poolings)
 * @param dropout drop probability inside every residual block (0 disables)
 * @param squeezeExcite squeeze-and-excitation at the end of every residual block
 * @param volumeSize the network's cubic grid edge (voxels); must be divisible by 2^(depth-1)
 * @param lesionHead one more output: a sigmoid early-ischaemia (lesion) channel on the same decoder
 *        ({@code LesionLoss}); archives written before it existed read as false (Jackson's default for a missing
 *        boolean)
 */
public record UNetConfig(int inputChannels, int classes, int baseChannels, int depth, double dropout,
        boolean squeezeExcite, int volumeSize, boolean lesionHead) {

    /** Regions only (no lesion head). */
    public UNetConfig(int inputChannels, int classes, int baseChannels, int depth, double dropout,
            boolean squeezeExcite, int volumeSize) {
        this(inputChannels, classes, baseChannels, depth, dropout, squeezeExcite, volumeSize, false);
    }

    public static final int SE_REDUCTION = 2;

    public UNetConfig {
        if (classes != 11 && classes != 21) {
            throw new IllegalArgumentException("classes must be 11 (merged hemispheres) or 21 (lateralised), got "
                    + classes);
        }
        if (depth < 1 || baseChannels < 1 || inputChannels < 1) {
            throw new IllegalArgumentException("depth, base channels and input channels must be >= 1");
        }
        if (volumeSize % (1 << (depth - 1)) != 0) {
            throw new IllegalArgumentException("volume size " + volumeSize + " is not divisible by 2^(depth-1) = "
                    + (1 << (depth - 1)));
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    public boolean lateralised() {
        return classes == 21;
    }

    public int channels(int level) {
        return baseChannels << level;
    }

    public Map<String, String> asParams() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input_channels", Integer.toString(inputChannels));
        m.put("classes", Integer.toString(classes));
        m.put("base_channels", Integer.toString(baseChannels));
        m.put("depth", Integer.toString(depth));
        m.put("dropout", Double.toString(dropout));
        m.put("squeeze_excite", Boolean.toString(squeezeExcite));
        m.put("volume_size", Integer.toString(volumeSize));
        m.put("lesion_head", Boolean.toString(lesionHead));
        return m;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static UNetConfig fromJson(String json) throws IOException {
        return JSON.readValue(json, UNetConfig.class);
    }
}
