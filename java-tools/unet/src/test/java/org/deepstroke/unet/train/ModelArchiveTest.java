package org.deepstroke.unet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.unet.model.UNet3D;
import org.deepstroke.unet.model.UNetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;

/** The same weights give the same model.zip bytes, whenever they are saved (entries carry a fixed date). */
class ModelArchiveTest {

    @Test
    void savingTheSameGraphTwiceGivesIdenticalBytes(@TempDir Path dir) throws Exception {
        UNetConfig config = new UNetConfig(4, 21, 4, 2, 0.0, true, 16);
        SameDiff graph = UNet3D.build(config, true, 0, 0);
        Path first = dir.resolve("first.zip");
        Path second = dir.resolve("second.zip");
        ModelArchive.save(first, config, graph, false);
        Thread.sleep(2100); // a zip's DOS time has 2 s resolution: without the fixed date the bytes would differ
        ModelArchive.save(second, config, graph, false);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }
}
