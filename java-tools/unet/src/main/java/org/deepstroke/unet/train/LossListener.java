package org.deepstroke.unet.train;

import org.deepstroke.unet.model.DiceCELoss;
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
 * labels with {@link DiceCELoss#compute} (+ {@link TerritoryGatedLoss#compute} when TAGL is on), whose equality
 * with the graph's loss is tested.
 */
final class LossListener extends BaseListener {

    private final TerritoryGatedLoss.Settings tagl;
    private double last = Double.NaN;
    private double lastTagl = Double.NaN;

    /** For a DiceCE-only graph. */
    LossListener() {
        this(null);
    }

    /** @param tagl the TAGL settings of the training graph, null when it has none */
    LossListener(TerritoryGatedLoss.Settings tagl) {
        this.tagl = tagl;
    }

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return ListenerVariables.builder().trainingVariables(UNet3D.PROBS).build();
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
                classes[b] = Batches.argmax(Batches.probabilities(labels, b));
            }
            last = DiceCELoss.compute(probs, classes).total();
            if (tagl != null) {
                // axis 2 of [N, C, D, H, W] is the superior-inferior one (TerritoryGatedLoss)
                lastTagl = TerritoryGatedLoss.compute(probs, (int) activation.size(2), tagl).total();
                last += lastTagl;
            }
        }
    }

    double last() {
        return last;
    }

    /** The weighted TAGL term inside {@link #last()}; NaN without TAGL. */
    double lastTagl() {
        return lastTagl;
    }
}
