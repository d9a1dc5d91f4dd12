package org.deepstroke.unet.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deepstroke.unet.data.Augmenter;
import org.deepstroke.unet.model.LesionLoss;
import org.deepstroke.unet.model.TerritoryGatedLoss;

/**
 * Optimisation settings (everything that is not the network's shape). {@code workers}: data-parallel replicas
 * ({@link DataParallel}; 1 = the plain loop), each fitting {@code batchSize} volumes per iteration. {@code tagl}:
 * the territory-aware gated loss added to DiceCE ({@link TerritoryGatedLoss}), null = off (DiceCE only).
 * {@code lesion}: the lesion channel's loss ({@link LesionLoss}) of a model with a lesion head, null without one.
 */
public record TrainingSettings(int maxEpochs, int batchSize, double learningRate, int patience, long seed,
        double maxMinutes, String variant, Augmenter.Settings augmentation, int workers,
        TerritoryGatedLoss.Settings tagl, LesionLoss.Settings lesion) {

    /** No lesion head. */
    public TrainingSettings(int maxEpochs, int batchSize, double learningRate, int patience, long seed,
            double maxMinutes, String variant, Augmenter.Settings augmentation, int workers,
            TerritoryGatedLoss.Settings tagl) {
        this(maxEpochs, batchSize, learningRate, patience, seed, maxMinutes, variant, augmentation, workers, tagl,
                null);
    }

    /** The DiceCE loss ({@code DiceCELoss}) as MLflow param and checkpoint state name it. */
    public static final String DICE_CE = "DiceCE(lambda_dice=1.0,lambda_ce=0.2)";

    /** DiceCE only. */
    public TrainingSettings(int maxEpochs, int batchSize, double learningRate, int patience, long seed,
            double maxMinutes, String variant, Augmenter.Settings augmentation, int workers) {
        this(maxEpochs, batchSize, learningRate, patience, seed, maxMinutes, variant, augmentation, workers, null);
    }

    /** One worker (no data parallelism). */
    public TrainingSettings(int maxEpochs, int batchSize, double learningRate, int patience, long seed,
            double maxMinutes, String variant, Augmenter.Settings augmentation) {
        this(maxEpochs, batchSize, learningRate, patience, seed, maxMinutes, variant, augmentation, 1, null);
    }

    public Map<String, String> asParams() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("max_epochs", Integer.toString(maxEpochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("workers", Integer.toString(workers));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("optimizer", "adam");
        m.put("patience", Integer.toString(patience));
        m.put("early_stopping_metric", "val_mean_dice");
        m.put("seed", Long.toString(seed));
        m.put("max_minutes", Double.toString(maxMinutes));
        m.put("variant", variant);
        m.put("loss", lossDescription());
        m.put("tagl", Boolean.toString(tagl != null));
        if (tagl != null) {
            m.putAll(tagl.asParams());
        }
        m.put("lesion_loss", Boolean.toString(lesion != null));
        if (lesion != null) {
            m.putAll(lesion.asParams());
        }
        m.put("aug_flip", Boolean.toString(augmentation.flip()));
        m.put("aug_max_rotation_deg", Double.toString(augmentation.maxRotationDeg()));
        m.put("aug_max_scale", Double.toString(augmentation.maxScale()));
        m.put("aug_max_shift", Double.toString(augmentation.maxShift()));
        m.put("aug_noise_sd", Double.toString(augmentation.noiseSd()));
        return m;
    }

    /** The training loss in one line (MLflow param; checkpoint state: a resume must keep its loss). */
    public String lossDescription() {
        return DICE_CE + (tagl == null ? "" : " + " + tagl.describe())
                + (lesion == null ? "" : " + " + lesion.describe());
    }
}
