package org.deepstroke.unet.train;

/**
 * One row of history.tsv. {@code trainTagl} / {@code valTagl}: the weighted TAGL term inside the losses (mean over
 * the epoch's iterations / the validation subjects); NaN when the training runs without TAGL. {@code trainLesion} /
 * {@code valLesion}: the weighted lesion term inside the losses, {@code valLesionDice}: mean hard Dice (p >= 0.5) of
 * the lesion channel over the validation subjects with a mask (NaN when none counts); all three NaN without a lesion
 * head.
 */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double[] valDice, double meanDice,
        double generalizedDice, double seconds, double trainTagl, double valTagl, double trainLesion,
        double valLesion, double valLesionDice) {

    /** A DiceCE-only epoch. */
    public EpochRecord(int epoch, double trainLoss, double valLoss, double[] valDice, double meanDice,
            double generalizedDice, double seconds) {
        this(epoch, trainLoss, valLoss, valDice, meanDice, generalizedDice, seconds, Double.NaN, Double.NaN);
    }

    /** An epoch without a lesion head. */
    public EpochRecord(int epoch, double trainLoss, double valLoss, double[] valDice, double meanDice,
            double generalizedDice, double seconds, double trainTagl, double valTagl) {
        this(epoch, trainLoss, valLoss, valDice, meanDice, generalizedDice, seconds, trainTagl, valTagl, Double.NaN,
                Double.NaN, Double.NaN);
    }

    boolean hasTagl() {
        return !Double.isNaN(trainTagl) || !Double.isNaN(valTagl);
    }

    boolean hasLesion() {
        return !Double.isNaN(trainLesion) || !Double.isNaN(valLesion);
    }
}
