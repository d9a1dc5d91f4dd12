package org.deepstroke.unet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.unet.Backend;
import org.deepstroke.unet.model.UNet3D;
import org.deepstroke.unet.model.UNetConfig;
import org.nd4j.autodiff.listeners.profiler.ProfilingListener;
import org.nd4j.autodiff.listeners.profiler.comparison.ProfileAnalyzer;
import org.nd4j.autodiff.listeners.profiler.data.TraceEvent;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code make bench}: seconds per training iteration (batch 1, the default U-Net: base 8, depth 4, SE, dropout,
 * 21 classes, 4 input channels) at each --sizes edge, inference seconds per volume at --inference-size, and the
 * process' peak RSS. Random inputs: speed does not depend on values. Run nice'd, on an otherwise idle machine.
 * Usage: UNetBenchmark [--sizes 64,96,128] [--iterations 3] [--inference-size 128] [--tsv FILE] [--profile DIR]
 * --tsv also writes the figures as rows {@code kind size seconds parameters} (kind train or inference), which the
 * PyTorch twin ({@code bin/bench/unet_torch_twin.py --compare FILE}) turns into DL4J/PyTorch ratios.
 * --profile runs, after each size's timed iterations (so the listener's overhead stays out of the figures), one
 * more iteration under SameDiff's {@code ProfilingListener}, writes its trace ({@code DIR/train-<size>.json},
 * Chrome trace format: chrome://tracing) and prints the time per op type (read back with ND4J's
 * {@code ProfileAnalyzer}): where DL4J spends an iteration.
 */
public final class UNetBenchmark {

    private UNetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // figures on stdout; SameDiff's gradient-graph chatter (System.out) goes to stderr
        java.io.PrintStream figures = System.out;
        System.setOut(System.err);
        int[] sizes = {64, 96, 128};
        int iterations = 3;
        int inferenceSize = 128;
        Path tsv = null;
        Path profile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                case "--inference-size" -> inferenceSize = Integer.parseInt(args[i + 1]);
                case "--tsv" -> tsv = Path.of(args[i + 1]);
                case "--profile" -> profile = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        figures.printf(Locale.ROOT, "backend %s, OMP_WAIT_POLICY=%s, %d cores%n", Backend.name(),
                System.getenv("OMP_WAIT_POLICY"), Runtime.getRuntime().availableProcessors());
        StringBuilder rows = new StringBuilder("kind\tsize\tseconds\tparameters\n");
        for (int size : sizes) {
            UNetConfig config = new UNetConfig(4, 21, 8, 4, 0.2, true, size);
            SameDiff sd = UNet3D.build(config, true, 1, 1e-3);
            INDArray x = Nd4j.rand(new int[] {1, 4, size, size, size});
            INDArray y = Nd4j.zeros(1, 21, size, size, size);
            y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                    .assign(1);
            sd.fit(new DataSet(x, y)); // warm-up: builds the gradient graph
            System.gc();
            long t0 = System.nanoTime();
            for (int it = 0; it < iterations; it++) {
                sd.fit(new DataSet(x, y));
                System.gc();
            }
            double perIteration = (System.nanoTime() - t0) / 1e9 / iterations;
            long parameters = UNet3D.parameterCount(sd);
            figures.printf(Locale.ROOT, "train %d^3 batch 1: %.2f s/iteration (%d iterations), peak RSS %.2f GB, "
                    + "%d parameters%n", size, perIteration, iterations, peakRssGb(), parameters);
            rows.append(String.format(Locale.ROOT, "train\t%d\t%.4f\t%d%n", size, perIteration, parameters));
            if (profile != null) {
                figures.print(profileOneIteration(sd, new DataSet(x, y), profile.resolve("train-" + size + ".json")));
            }
        }
        UNetConfig config = new UNetConfig(4, 21, 8, 4, 0.2, true, inferenceSize);
        SameDiff inference = UNet3D.build(config, false, 1, 0);
        INDArray x = Nd4j.rand(new int[] {1, 4, inferenceSize, inferenceSize, inferenceSize});
        inference.output(Map.of(UNet3D.INPUT, x), UNet3D.PROBS); // warm-up
        long t0 = System.nanoTime();
        int runs = 2;
        for (int r = 0; r < runs; r++) {
            inference.output(Map.of(UNet3D.INPUT, x), UNet3D.PROBS).get(UNet3D.PROBS).close();
            System.gc();
        }
        double seconds = (System.nanoTime() - t0) / 1e9 / runs;
        figures.printf(Locale.ROOT, "inference %d^3: %.2f s/volume (goal <= 5 s: %s), peak RSS %.2f GB%n",
                inferenceSize, seconds, seconds <= 5 ? "met" : "NOT met", peakRssGb());
        rows.append(String.format(Locale.ROOT, "inference\t%d\t%.4f\t%d%n", inferenceSize, seconds,
                UNet3D.parameterCount(inference)));
        if (tsv != null) {
            Files.writeString(tsv, rows);
        }
    }

    /**
     * One training iteration under ProfilingListener; returns where its time went: op types by total time (the
     * forward op and its _bp are separate types), with their share of the iteration's wall time, and the time
     * outside ops (graph execution, allocation, the listener itself).
     */
    static String profileOneIteration(SameDiff sd, DataSet batch, Path trace) throws java.io.IOException {
        Files.createDirectories(trace.getParent());
        Files.deleteIfExists(trace);
        sd.setListeners(new ProfilingListener.Builder(trace.toFile()).recordAll().warmup(0).build());
        long t0 = System.nanoTime();
        sd.fit(batch);
        double wallMs = (System.nanoTime() - t0) / 1e6;
        sd.setListeners();
        System.gc();
        Map<String, double[]> byType = new java.util.TreeMap<>(); // type -> {count, total ms}
        for (TraceEvent e : ProfileAnalyzer.getTraceEvents(trace.toFile(), ProfileAnalyzer.ProfileFormat.SAMEDIFF)) {
            if (e.getDur() != null) {
                double[] t = byType.computeIfAbsent(e.getName(), k -> new double[2]);
                t[0]++;
                t[1] += e.getDur() / 1e3;
            }
        }
        double opsMs = byType.values().stream().mapToDouble(t -> t[1]).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "profile (one iteration, %.0f ms wall; trace %s): ops %.0f ms, outside ops %.0f ms%n", wallMs, trace,
                opsMs, wallMs - opsMs));
        byType.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).limit(12)
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %-22s %4d ops %8.1f ms %5.1f %%%n", e.getKey(),
                        (int) e.getValue()[0], e.getValue()[1], 100 * e.getValue()[1] / wallMs)));
        return out.toString();
    }

    /** VmHWM of this process (Linux), in GB; NaN elsewhere. */
    static double peakRssGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
