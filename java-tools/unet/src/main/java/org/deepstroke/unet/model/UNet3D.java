package org.deepstroke.unet.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The 3-D U-Net as one SameDiff graph: {@link UNetEncoder3D} -> {@link CNNDecoder3D} with skips -> 1x1x1 head ->
 * softmax over classes. Placeholders: {@value #INPUT} [N, C, D, H, W] and, in training graphs, {@value #LABELS}
 * (one-hot incl. background, [N, classes, D, H, W]). Outputs: {@value #PROBS} and {@value #LOSS} (DiceCE).
 * Training and inference graphs carry the same variable names; only the training graph has dropout, so the
 * weights of one are copied into the other by name.
 */
public final class UNet3D {

    public static final String INPUT = "input";
    public static final String LABELS = "labels";
    public static final String LOGITS = "logits";
    public static final String PROBS = "probs";
    public static final String LOSS = "loss";
    /** With TAGL on: the DiceCE and the (weighted) TAGL terms whose sum is {@value #LOSS}. */
    public static final String DICE_CE = "loss_dice_ce";
    public static final String TAGL = "loss_tagl";
    /** With a lesion head: the sigmoid lesion probability [N, 1, D, H, W] and the weighted lesion loss term. */
    public static final String LESION_PROBS = "lesion_probs";
    public static final String LESION = "loss_lesion";

    private UNet3D() {
    }

    /** A graph with freshly initialised weights (ND4J's RNG seeded with {@code seed}); DiceCE loss. */
    public static SameDiff build(UNetConfig config, boolean training, long seed, double learningRate) {
        return build(config, training, seed, learningRate, null);
    }

    /**
     * As {@link #build(UNetConfig, boolean, long, double)}; with {@code tagl} (null = off) the training loss is
     * DiceCE ({@value #DICE_CE}) + {@link TerritoryGatedLoss} ({@value #TAGL}). Without it the graph is the
     * DiceCE-only graph of earlier models, variable for variable.
     */
    public static SameDiff build(UNetConfig config, boolean training, long seed, double learningRate,
            TerritoryGatedLoss.Settings tagl) {
        return build(config, training, seed, learningRate, tagl,
                config.lesionHead() ? new LesionLoss.Settings(LesionLoss.Settings.DEFAULT_WEIGHT) : null);
    }

    /**
     * As {@link #build(UNetConfig, boolean, long, double, TerritoryGatedLoss.Settings)}; with a lesion head
     * ({@link UNetConfig#lesionHead()}) the decoder's features also feed a 1x1x1 conv to one sigmoid channel
     * ({@value #LESION_PROBS}), built after the region head so the region weights draw the same random numbers as
     * a model without it. Its training graph's labels placeholder has classes + 1 channels, the last one the lesion
     * target ({@link LesionLoss}), and the loss adds {@code lesion}'s term ({@value #LESION}); TAGL acts on the
     * region probabilities only.
     */
    public static SameDiff build(UNetConfig config, boolean training, long seed, double learningRate,
            TerritoryGatedLoss.Settings tagl, LesionLoss.Settings lesion) {
        if (training && config.lesionHead() != (lesion != null)) {
            throw new IllegalArgumentException("a lesion head needs lesion loss settings and vice versa");
        }
        Nd4j.getRandom().setSeed(seed);
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputChannels(), -1, -1, -1);
        UNetEncoder3D.Output enc = new UNetEncoder3D(config).encodeWithSkips(sd, input, training);
        SDVariable features = new CNNDecoder3D(config).decode(sd, enc.bottleneck(), enc.skips(), training);
        SDVariable logits = Layers3D.conv(sd, "head", features, config.channels(0), config.classes(), 1);
        SDVariable logitsId = sd.identity(LOGITS, logits);
        SDVariable probs = Layers3D.channelSoftmax(sd, PROBS, logitsId);
        SDVariable lesionProbs = null;
        if (config.lesionHead()) {
            SDVariable lesionLogits = Layers3D.conv(sd, "lesion_head", features, config.channels(0), 1, 1);
            lesionProbs = sd.nn().sigmoid(LESION_PROBS, lesionLogits);
        }
        if (training) {
            int c = config.classes();
            SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, c + (lesionProbs != null ? 1 : 0),
                    -1, -1, -1);
            SDVariable regionLabels = labels;
            SDVariable lesionTarget = null;
            if (lesionProbs != null) {
                // channel slices with begin/end masks on N, D, H, W (0b11101), so those stay dynamic
                regionLabels = sd.stridedSlice(labels, new long[] {0, 0, 0, 0, 0}, new long[] {0, c, 0, 0, 0},
                        new long[] {1, 1, 1, 1, 1}, 0b11101, 0b11101, 0, 0, 0);
                lesionTarget = sd.stridedSlice(labels, new long[] {0, c, 0, 0, 0}, new long[] {0, c + 1, 0, 0, 0},
                        new long[] {1, 1, 1, 1, 1}, 0b11101, 0b11101, 0, 0, 0);
            }
            boolean terms = tagl != null || lesionProbs != null;
            SDVariable loss = DiceCELoss.graph(sd, probs, regionLabels, terms ? DICE_CE : LOSS);
            if (tagl != null) {
                SDVariable t = TerritoryGatedLoss.graph(sd, probs, c, tagl, TAGL);
                loss = lesionProbs == null ? loss.add(LOSS, t) : loss.add(t);
            }
            if (lesionProbs != null) {
                loss.add(LOSS, LesionLoss.graph(sd, lesionProbs, lesionTarget, lesion, LESION));
            }
            sd.setLossVariables(LOSS);
            sd.setTrainingConfig(TrainingConfig.builder()
                    .updater(new Adam(learningRate))
                    .dataSetFeatureMapping(INPUT)
                    .dataSetLabelMapping(LABELS)
                    .build());
        }
        return sd;
    }

    /** Copies every trainable variable of {@code from} into the same-named variable of {@code to}. */
    public static void copyWeights(SameDiff from, SameDiff to) {
        for (SDVariable v : to.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                SDVariable source = from.getVariable(v.name());
                if (source == null) {
                    throw new IllegalStateException("weights lack variable " + v.name());
                }
                v.setArray(source.getArr().dup());
            }
        }
    }

    public static long parameterCount(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }
}
