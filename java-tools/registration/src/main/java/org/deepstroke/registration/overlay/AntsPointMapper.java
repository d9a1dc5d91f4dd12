package org.deepstroke.registration.overlay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.registration.Ants;

/**
 * Maps world points through an ANTs transform chain with antsApplyTransformsToPoints.
 *
 * <p>The chain is given exactly as to antsApplyTransforms (each entry a path or {@code [path,1]}); measured here
 * (ANTs 2.6.5): the FIRST listed transform is applied to a point first. Points move in the direction opposite to
 * images: to carry native points into atlas space use the chain that resamples atlas images onto the native grid,
 * {@code [0GenericAffine.mat,1] 1InverseWarp.nii.gz} - the same chain back-projection uses. ITK works in LPS, so
 * RAS x and y are negated on the way in and out.
 */
public final class AntsPointMapper {

    private final Ants ants;
    private final int threads;
    private final long seed;

    public AntsPointMapper(Ants ants, int threads, long seed) {
        this.ants = ants;
        this.threads = threads;
        this.seed = seed;
    }

    /** The mapped points (RAS mm), in input order; {@code scratch} holds the CSV files and the log. */
    public List<double[]> map(List<double[]> pointsRas, List<String> transforms, Path scratch, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path in = scratch.resolve("points_in.csv");
        Path out = scratch.resolve("points_out.csv");
        StringBuilder sb = new StringBuilder("x,y,z,t\n");
        for (double[] p : pointsRas) {
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,0%n", -p[0], -p[1], p[2]));
        }
        Files.writeString(in, sb.toString());
        List<String> args = new ArrayList<>(List.of("-d", "3", "-i", in.toString(), "-o", out.toString()));
        for (String t : transforms) {
            args.add("-t");
            args.add(t);
        }
        ants.command("antsApplyTransformsToPoints", args, threads, seed).log(scratch.resolve("points.log"))
                .timeout(timeout).run();
        List<String> lines = Files.readAllLines(out);
        List<double[]> mapped = new ArrayList<>(pointsRas.size());
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            mapped.add(new double[] {-Double.parseDouble(f[0]), -Double.parseDouble(f[1]), Double.parseDouble(f[2])});
        }
        if (mapped.size() != pointsRas.size()) {
            throw new IOException("antsApplyTransformsToPoints returned " + mapped.size() + " points for "
                    + pointsRas.size() + "; see " + scratch.resolve("points.log"));
        }
        return mapped;
    }
}
