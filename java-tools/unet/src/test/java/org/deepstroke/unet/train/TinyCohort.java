package org.deepstroke.unet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.deepstroke.unet.SyntheticDataset;
import org.deepstroke.unet.data.CuratedDataset;
import org.deepstroke.unet.data.Sample;
import org.deepstroke.unet.model.UNetConfig;
import org.deepstroke.unet.tools.TrainTool;

/**
 * The tiny learnable fixture the training tests share: 5 synthetic subjects (24^3) in the curated layout, loaded
 * onto a 16^3 network grid as 4 training and 1 validation samples, and the small network that learns them quickly.
 */
record TinyCohort(List<Sample> train, List<Sample> validation) {

    /** 4 input channels, 21 classes, base 4, depth 2, no dropout, SE on, 16^3. */
    static final UNetConfig CONFIG = new UNetConfig(4, 21, 4, 2, 0.0, true, 16);

    static TinyCohort write(Path dir) throws Exception {
        CuratedDataset ds = CuratedDataset.open(SyntheticDataset.write(dir, 5, 1, 0, 24, 3));
        TinyCohort c = new TinyCohort(TrainTool.load(ds.entries("train", "raw"), 16, "train"),
                TrainTool.load(ds.entries("validation", "raw"), 16, "validation"));
        assertEquals(4, c.train().size());
        return c;
    }
}
