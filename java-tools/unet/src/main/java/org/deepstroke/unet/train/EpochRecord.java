package org.deepstroke.unet.train;

/**
 * One row of history.tsv. {@code trainTagl} / {@code valTagl}: the weighted TAGL term inside the losses (mean over
 * the epoch's iterations / the validation subjects); NaN when the training runs without TAGL.
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double[] valDice, double meanDice,
        double generalizedDice, double seconds, double trainTagl, double valTagl) {

    /** A DiceCE-only epoch. */
    public EpochRecord(int epoch, double trainLoss, double valLoss, double[] valDice, double meanDice,
            double generalizedDice, double seconds) {
        this(epoch, trainLoss, valLoss, valDice, meanDice, generalizedDice, seconds, Double.NaN, Double.NaN);
    }

    boolean hasTagl() {
        return !Double.isNaN(trainTagl) || !Double.isNaN(valTagl);
    }
}
