package org.deepstroke.onescan;

import java.nio.file.Path;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.unet.predict.Segmenter;

/**
 * The U-Net's {@link Segmenter} (what {@code deepstroke predict} runs). Its own class so that DL4J is linked only
 * when a model is given: the launcher puts lib/dl4j on the class path for {@code aspects-scan --model} alone.
 */
final class UNetLabels {

    /**
     * Labels on the CT's grid and the seconds spent loading the model and segmenting; {@code lesion}: the 0/1
     * lesion map on the CT's grid, null when the model has no lesion head.
     */
    record Result(ImageVolume labels, ImageVolume lesion, double loadSeconds, double segmentSeconds, int volumeSize,
            int classes) {
    }

    private UNetLabels() {
    }

    /** The last model loaded: --watch keeps it for every following scan (warm: no load time). */
    private static Path loadedPath;
    private static Segmenter loaded;

    static synchronized Result segment(Path model, Path ct, Path brainMask) {
        long t0 = System.nanoTime();
        if (loaded == null || !model.equals(loadedPath)) {
            loaded = new Segmenter(model);
            loadedPath = model;
        }
        Segmenter segmenter = loaded;
        long t1 = System.nanoTime();
        Segmenter.Result r = segmenter.segment(ct, brainMask);
        long t2 = System.nanoTime();
        return new Result(r.labels(), r.lesion(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, segmenter.config().volumeSize(),
                segmenter.config().classes());
    }
}
