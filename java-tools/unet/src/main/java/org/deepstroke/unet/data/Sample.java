package org.deepstroke.unet.data;

/**
 * One subject on the net grid: the normalised CT (size^3, [z][y][x]) and its label ids 0..20 (lateralised, as
 * stored in the dataset; merged to 11 classes only when batches are made).
 */
public record Sample(String subject, int size, float[] ct, int[] labels) {
}
