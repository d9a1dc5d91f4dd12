package org.deepstroke.unet.train;

import java.util.List;
import org.deepstroke.unet.data.CtNormalisation;
import org.deepstroke.unet.data.LabelScheme;
import org.deepstroke.unet.data.Sample;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Samples to ND4J arrays: features [N, C, D, H, W] and one-hot labels [N, classes, D, H, W] (background included). */
public final class Batches {

    private Batches() {
    }

    public static INDArray features(List<Sample> samples, int channels) {
        int size = samples.get(0).size();
        int n = size * size * size;
        float[] data = new float[samples.size() * channels * n];
        for (int b = 0; b < samples.size(); b++) {
            float[] c = CtNormalisation.channels(samples.get(b).ct(), size, channels);
            System.arraycopy(c, 0, data, b * channels * n, c.length);
        }
        return Nd4j.create(data, new long[] {samples.size(), channels, size, size, size}, 'c');
    }

    public static INDArray oneHot(List<Sample> samples, int classes) {
        int size = samples.get(0).size();
        int n = size * size * size;
        float[] data = new float[samples.size() * classes * n];
        for (int b = 0; b < samples.size(); b++) {
            int[] labels = samples.get(b).labels();
            for (int v = 0; v < n; v++) {
                data[(b * classes + LabelScheme.toClass(labels[v], classes)) * n + v] = 1f;
            }
        }
        return Nd4j.create(data, new long[] {samples.size(), classes, size, size, size}, 'c');
    }

    /**
     * The labels placeholder's array: one-hot regions, and with {@code lesionChannel} one more channel holding each
     * sample's 0/1 lesion mask, or -1 throughout for a sample without one ({@code LesionLoss} skips it).
     */
    public static INDArray targets(List<Sample> samples, int classes, boolean lesionChannel) {
        if (!lesionChannel) {
            return oneHot(samples, classes);
        }
        int size = samples.get(0).size();
        int n = size * size * size;
        int channels = classes + 1;
        float[] data = new float[samples.size() * channels * n];
        for (int b = 0; b < samples.size(); b++) {
            int[] labels = samples.get(b).labels();
            int[] lesion = samples.get(b).lesion();
            int lesionOffset = (b * channels + classes) * n;
            for (int v = 0; v < n; v++) {
                data[(b * channels + LabelScheme.toClass(labels[v], classes)) * n + v] = 1f;
                data[lesionOffset + v] = lesion == null ? -1f : lesion[v];
            }
        }
        return Nd4j.create(data, new long[] {samples.size(), channels, size, size, size}, 'c');
    }

    /** The lesion channel of {@link #targets} back as a 0/1 mask, null for -1 (a sample without one). */
    static int[] lesionMask(float[] channel) {
        if (channel.length > 0 && channel[0] < -0.5f) {
            return null;
        }
        int[] mask = new int[channel.length];
        for (int v = 0; v < mask.length; v++) {
            mask[v] = channel[v] > 0.5f ? 1 : 0;
        }
        return mask;
    }

    public static int[] classes(Sample s, int classes) {
        int[] out = new int[s.labels().length];
        for (int v = 0; v < out.length; v++) {
            out[v] = LabelScheme.toClass(s.labels()[v], classes);
        }
        return out;
    }

    /** probs [1, classes, D, H, W] of batch element b as [classes][voxels]. */
    public static float[][] probabilities(INDArray probs, int b) {
        int classes = (int) probs.size(1);
        float[][] out = new float[classes][];
        for (int c = 0; c < classes; c++) {
            out[c] = probs.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup('c').data().asFloat();
        }
        return out;
    }

    public static int[] argmax(float[][] probs) {
        int n = probs[0].length;
        int[] out = new int[n];
        for (int v = 0; v < n; v++) {
            int best = 0;
            float bestP = probs[0][v];
            for (int c = 1; c < probs.length; c++) {
                if (probs[c][v] > bestP) {
                    bestP = probs[c][v];
                    best = c;
                }
            }
            out[v] = best;
        }
        return out;
    }
}
