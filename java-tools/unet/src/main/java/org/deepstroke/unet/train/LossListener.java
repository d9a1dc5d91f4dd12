package org.deepstroke.unet.train;

import org.deepstroke.unet.model.DiceCELoss;
import org.deepstroke.unet.model.LesionLoss;
import org.deepstroke.unet.model.TerritoryGatedLoss;
import org.deepstroke.unet.model.UNet3D;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The training loss of each iteration. In DL4J M2.1 SameDiff never executes the loss variable itself during
 * fit (listeners get 0, and requesting "loss" as a listener variable yields nothing), but the softmax output of
 * the very forward pass the gradients come from is available: the loss is computed from it and the batch's
 * labels with {@link DiceCELoss#compute} (+ {@link TerritoryGatedLoss#compute} when TAGL is on, + {@link
 * LesionLoss#compute} of the lesion channel with a lesion head), whose equality with the graph's loss is tested.
 * With a lesion head the labels carry one more channel (the lesion target, {@link Batches#targets}).
 */
final class LossListener extends BaseListener {

    private final TerritoryGatedLoss.Settings tagl;
    private final LesionLoss.Settings lesion;
    private double last = Double.NaN;
    private double lastTagl = Double.NaN;
    private double lastLesion = Double.NaN;
    /** The region part (DiceCE [+ TAGL]) of the current iteration, waiting for the lesion probabilities. */
    private double regionPart = Double.NaN;
    private float[][] lesionProbs;
    private MultiDataSet lesionBatch;

    /** For a DiceCE-only graph. */
    LossListener() {
        this(null);
    }

    /** @param tagl the TAGL settings of the training graph, null when it has none */
    LossListener(TerritoryGatedLoss.Settings tagl) {
        this(tagl, null);
    }

    /** @param lesion the lesion loss settings of a graph with a lesion head, null without one */
    LossListener(TerritoryGatedLoss.Settings tagl, LesionLoss.Settings lesion) {
        this.tagl = tagl;
        this.lesion = lesion;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return lesion == null ? ListenerVariables.builder().trainingVariables(UNet3D.PROBS).build()
                : ListenerVariables.builder().trainingVariables(UNet3D.PROBS, UNet3D.LESION_PROBS).build();
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
            INDArray activation) {
        if (UNet3D.PROBS.equals(varName)) {
            INDArray labels = batch.getLabels(0);
            int n = (int) activation.size(0);
            float[][][] probs = new float[n][][];
            int[][] classes = new int[n][];
            for (int b = 0; b < n; b++) {
                probs[b] = Batches.probabilities(activation, b);
                float[][] target = Batches.probabilities(labels, b);
                classes[b] = Batches.argmax(lesion == null ? target
                        : java.util.Arrays.copyOf(target, target.length - 1)); // the last channel is the lesion
            }
            double value = DiceCELoss.compute(probs, classes).total();
            if (tagl != null) {
                // axis 2 of [N, C, D, H, W] is the superior-inferior one (TerritoryGatedLoss)
                lastTagl = TerritoryGatedLoss.compute(probs, (int) activation.size(2), tagl).total();
                value += lastTagl;
            }
            if (lesion == null) {
                last = value;
            } else {
                regionPart = value;
                finishLesion();
            }
        } else if (UNet3D.LESION_PROBS.equals(varName)) {
            int n = (int) activation.size(0);
            lesionProbs = new float[n][];
            for (int b = 0; b < n; b++) {
                lesionProbs[b] = Batches.probabilities(activation, b)[0];
            }
            lesionBatch = batch;
            finishLesion();
        }
    }

    /** Once both outputs of the iteration are in (their order is the graph's): the total with the lesion term. */
    private void finishLesion() {
        if (Double.isNaN(regionPart) || lesionProbs == null) {
            return;
        }
        INDArray labels = lesionBatch.getLabels(0);
        int[][] masks = new int[lesionProbs.length][];
        for (int b = 0; b < masks.length; b++) {
            float[][] target = Batches.probabilities(labels, b);
            masks[b] = Batches.lesionMask(target[target.length - 1]);
        }
        lastLesion = LesionLoss.compute(lesionProbs, masks, lesion).term();
        last = regionPart + lastLesion;
        regionPart = Double.NaN;
        lesionProbs = null;
        lesionBatch = null;
    }

    double last() {
        return last;
    }

    /** The weighted lesion term inside {@link #last()}; NaN without a lesion head. */
    double lastLesion() {
        return lastLesion;
    }

    /** The weighted TAGL term inside {@link #last()}; NaN without TAGL. */
    double lastTagl() {
        return lastTagl;
    }
}
