package org.deepstroke.unet.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.unet.model.UNet3D;
import org.deepstroke.unet.model.UNetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** {@code make bench --profile}: one profiled iteration of the default network at 16^3 (seconds, not a figure). */
class UNetBenchmarkTest {

    @Test
    void profileNamesWhereAnIterationSpendsItsTime(@TempDir Path dir) throws Exception {
        SameDiff sd = UNet3D.build(new UNetConfig(4, 21, 8, 4, 0.2, true, 16), true, 1, 1e-3);
        INDArray x = Nd4j.rand(new int[] {1, 4, 16, 16, 16});
        INDArray y = Nd4j.zeros(1, 21, 16, 16, 16);
        y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1);
        sd.fit(new DataSet(x, y));
        Path trace = dir.resolve("profile/train-16.json");
        String table = UNetBenchmark.profileOneIteration(sd, new DataSet(x, y), trace);
        System.out.print(table);
        assertTrue(Files.size(trace) > 1000, "trace written");
        // 22 convolutions (encoder, decoder, projections, heads) and 14 instance norms, forward and backward
        assertTrue(table.contains("conv3dnew_bp") && table.contains(" 22 ops"), table);
        assertTrue(table.contains("layer_norm_bp") && table.contains(" 14 ops"), table);
        assertTrue(table.matches("(?s)profile \\(one iteration, \\d+ ms wall; trace .*\\): ops \\d+ ms, outside ops -?\\d+ ms\\n.*"),
                table);
    }
}
