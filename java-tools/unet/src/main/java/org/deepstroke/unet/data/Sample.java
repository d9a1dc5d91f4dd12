package org.deepstroke.unet.data;

/**
 * One subject on the net grid: the normalised CT (size^3, [z][y][x]) and its label ids 0..20 (lateralised, as
 * stored in the dataset; merged to 11 classes only when batches are made), and its 0/1 lesion mask on the same
 * grid, or null when the subject has none (the lesion loss skips it).
 */
public record Sample(String subject, int size, float[] ct, int[] labels, int[] lesion) {

    /** A sample without a lesion mask. */
    public Sample(String subject, int size, float[] ct, int[] labels) {
        this(subject, size, ct, labels, null);
    }
}
