package org.deepstroke.unet.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.unet.model.UNet3D;
import org.deepstroke.unet.model.UNetConfig;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * model.zip: {@code config.json} (the network's shape) and {@code graph.fb} (the SameDiff training graph with
 * weights and, for checkpoints, the Adam state, in SameDiff's FlatBuffers format). Prediction rebuilds the
 * inference graph (no dropout) from the config and copies the weights in by name.
 */
public final class ModelArchive {

    private static final String CONFIG = "config.json";
    private static final String GRAPH = "graph.fb";

    private ModelArchive() {
    }

    public static void save(Path file, UNetConfig config, SameDiff trainingGraph, boolean withUpdaterState)
            throws IOException {
        Path tmpGraph = Files.createTempFile(file.toAbsolutePath().getParent(), ".graph", ".fb");
        try {
            trainingGraph.save(tmpGraph.toFile(), withUpdaterState);
            AtomicFiles.write(file, out -> {
                try (ZipOutputStream zip = new ZipOutputStream(out)) {
                    zip.putNextEntry(entry(CONFIG));
                    zip.write(config.toJson().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    zip.putNextEntry(entry(GRAPH));
                    Files.copy(tmpGraph, zip);
                    zip.closeEntry();
                }
            });
        } finally {
            Files.deleteIfExists(tmpGraph);
        }
    }

    /**
     * An entry dated at the epoch: the same weights give the same model.zip bytes on every run (a reviewer can compare
     * checksums), as the reproducible jars do.
     */
    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(FIXED_TIME);
        return e;
    }

    /** 1980-01-01T00:00 local time, the earliest DOS date a zip can hold (what reproducible-build tools use). */
    private static final long FIXED_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    public record Loaded(UNetConfig config, SameDiff trainingGraph) {
        /** An inference graph (no dropout) carrying the trained weights. */
        public SameDiff inferenceGraph() {
            SameDiff inference = UNet3D.build(config, false, 0, 0);
            UNet3D.copyWeights(trainingGraph, inference);
            return inference;
        }
    }

    /** Only the network's shape (config.json): cheap, and without touching ND4J. */
    public static UNetConfig config(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry c = zip.getEntry(CONFIG);
            if (c == null) {
                throw new ToolFailure(file, "not a DeepStroke U-Net model (needs config.json and graph.fb)");
            }
            try (InputStream in = zip.getInputStream(c)) {
                return UNetConfig.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ToolFailure(file, "cannot read model: " + e.getMessage());
        }
    }

    public static Loaded load(Path file, boolean withUpdaterState) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry c = zip.getEntry(CONFIG);
            ZipEntry g = zip.getEntry(GRAPH);
            if (c == null || g == null) {
                throw new ToolFailure(file, "not a DeepStroke U-Net model (needs config.json and graph.fb)");
            }
            UNetConfig config;
            try (InputStream in = zip.getInputStream(c)) {
                config = UNetConfig.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Path tmp = Files.createTempFile("deepstroke-graph", ".fb");
            try {
                try (InputStream in = zip.getInputStream(g); OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                SameDiff sd = SameDiff.load(tmp.toFile(), withUpdaterState);
                return new Loaded(config, sd);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ToolFailure(file, "cannot read model: " + e.getMessage());
        }
    }
}
