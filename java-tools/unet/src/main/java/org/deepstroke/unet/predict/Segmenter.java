package org.deepstroke.unet.predict;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.unet.data.Sample;
import org.deepstroke.unet.data.SampleLoader;
import org.deepstroke.unet.model.UNet3D;
import org.deepstroke.unet.model.UNetConfig;
import org.deepstroke.unet.train.Batches;
import org.deepstroke.unet.train.ModelArchive;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained U-Net applied to native CTs: CT -> net grid (brain crop, window) -> softmax -> argmax -> label ids
 * -> native grid (nearest neighbour through world coordinates, 0 outside the brain mask).
 * Ids: 0..20 for 21-class models, 0..10 (hemispheres merged) for 11-class models. A model with a lesion head also
 * gives the lesion map: sigmoid >= 0.5 -> 0/1, carried to the native grid exactly as the labels are.
 */
public final class Segmenter {

    /** {@code lesion}: the 0/1 lesion map on the CT's grid, null for a model without a lesion head. */
    public record Result(ImageVolume labels, ImageVolume lesion, double networkSeconds, double totalSeconds) {
    }

    private final UNetConfig config;
    private final SameDiff inference;

    public Segmenter(Path model) {
        ModelArchive.Loaded loaded = ModelArchive.load(model, false);
        this.config = loaded.config();
        this.inference = loaded.inferenceGraph();
    }

    public UNetConfig config() {
        return config;
    }

    public Result segment(Path ct, Path brainMask) {
        long start = System.nanoTime();
        SampleLoader.Prepared p = SampleLoader.prepare(ct, brainMask, config.volumeSize());
        long netStart = System.nanoTime();
        Sample s = new Sample("input", config.volumeSize(), p.ct(), new int[p.ct().length]);
        INDArray features = Batches.features(List.of(s), config.inputChannels());
        Map<String, INDArray> out = config.lesionHead()
                ? inference.output(Map.of(UNet3D.INPUT, features), UNet3D.PROBS, UNet3D.LESION_PROBS)
                : inference.output(Map.of(UNet3D.INPUT, features), UNet3D.PROBS);
        INDArray probs = out.get(UNet3D.PROBS);
        int[] classes = Batches.argmax(Batches.probabilities(probs, 0));
        int[] lesionNet = null;
        if (config.lesionHead()) {
            float[] q = Batches.probabilities(out.get(UNet3D.LESION_PROBS), 0)[0];
            lesionNet = new int[q.length];
            for (int v = 0; v < q.length; v++) {
                lesionNet[v] = q[v] >= 0.5f ? 1 : 0;
            }
            out.get(UNet3D.LESION_PROBS).close();
        }
        double netSeconds = (System.nanoTime() - netStart) / 1e9;
        features.close();
        probs.close();
        // class index == label id in both schemes (11-class ids 1..10 are the merged regions)
        ImageVolume labels = p.grid().toNative(classes, p.nativeCt(), p.brainMask());
        ImageVolume lesion = lesionNet == null ? null : p.grid().toNative(lesionNet, p.nativeCt(), p.brainMask());
        return new Result(labels, lesion, netSeconds, (System.nanoTime() - start) / 1e9);
    }
}
