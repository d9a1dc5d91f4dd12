package org.deepstroke.unet.train;

/** One row of history.tsv. */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double[] valDice, double meanDice,
        double generalizedDice, double seconds) {
}
