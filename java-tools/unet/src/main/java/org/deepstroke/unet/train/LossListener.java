package org.deepstroke.unet.train;

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
 * Reads the training loss of each iteration. SameDiff hands listeners a loss of 0 in M2.1 (the loss variable is
 * not executed during fit), so the loss is requested as a listener variable and read when it is computed.
 */
final class LossListener extends BaseListener {

    private double last = Double.NaN;

    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
        return ListenerVariables.builder().trainingVariables(UNet3D.LOSS).build();
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
            INDArray activation) {
        if (UNet3D.LOSS.equals(varName)) {
            last = activation.getDouble(0);
        }
    }

    double last() {
        return last;
    }
}
