package org.deepstroke.registration.register;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.evaluation.SegmentationMetrics;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.tools.BackProjectTool;
import org.deepstroke.registration.tools.RegisterTool;

/**
 * {@code make bench}: `deepstroke register` (preset fast) side by side with ANTs' own antsRegistrationSyN.sh and
 * antsRegistrationSyNQuick.sh ({@code -t s}) on the same synthetic subjects: wall time and the mean Dice over the 20
 * ASPECTS regions of the back-projected atlas vs the phantom's truth, and the ratios. Every method registers the same
 * 2 mm resampled stripped CT (what `register` does first) onto the same template with the same thread count.
 * Not a test: it only measures.
 *
 * <pre>
 * java -cp 'java-tools/dist/target/lib/base/*' org.deepstroke.registration.register.RegistrationBenchmark
 *      --results DIR [--template FILE] [--subjects N] [--threads N] [--preset NAME] [--work DIR]
 * </pre>
 * {@code --results} is a finished pipeline run (registration/<s>/<s>_stripped.nii.gz, ingest/, phantom/truth/,
 * atlas/aspects_labels.nii.gz).
 */
public final class RegistrationBenchmark {

    private RegistrationBenchmark() {
    }

    record Row(String method, double seconds, double dice) {
    }

    /** The command line, defaults filled in. */
    private record Settings(Path results, Path template, int subjects, int threads, String preset, Path work) {
    }

    private static final List<String> SCRIPTS = List.of("antsRegistrationSyNQuick.sh", "antsRegistrationSyN.sh");

    public static void main(String[] args) throws Exception {
        Settings s = settings(args);
        Ants ants = Ants.locate();
        Path atlas = s.results().resolve("atlas/aspects_labels.nii.gz");
        List<String> ids = subjects(s.results(), s.subjects());
        System.out.printf(Locale.ROOT, "subjects %s, threads %d, load average %.1f%n", ids, s.threads(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            List<Row> subject = benchmark(s, id, atlas, ants);
            rows.addAll(subject);
            for (Row r : subject) {
                System.out.printf(Locale.ROOT, "%-50s %8.1f s  mean Dice %.4f%n", r.method(), r.seconds(), r.dice());
            }
        }
        for (String script : SCRIPTS) {
            double ratioT = 0;
            double diffD = 0;
            int n = 0;
            for (int i = 0; i + 2 < rows.size(); i += 3) {
                Row ours = rows.get(i);
                Row other = rows.get(i + (script.startsWith("antsRegistrationSyNQuick") ? 1 : 2));
                ratioT += ours.seconds() / other.seconds();
                diffD += ours.dice() - other.dice();
                n++;
            }
            System.out.printf(Locale.ROOT, "register %s vs %s: time ratio %.2f, Dice difference %+.4f (mean of %d)%n",
                    s.preset(), script, ratioT / n, diffD / n, n);
        }
        System.out.printf(Locale.ROOT, "load average at the end %.1f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Reads the options; a usage error exits with 2. */
    private static Settings settings(String[] args) throws IOException {
        Path results = null;
        Path template = Path.of("../shared/data/atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        int subjects = 2;
        int threads = 2;
        String preset = "fast";
        Path work = Files.createTempDirectory("deepstroke-regbench-");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[i + 1]);
                case "--template" -> template = Path.of(args[i + 1]);
                case "--subjects" -> subjects = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--preset" -> preset = args[i + 1];
                case "--work" -> work = Path.of(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (results == null) {
            System.err.println("--results DIR (a finished pipeline run) is required");
            System.exit(2);
        }
        return new Settings(results, template, subjects, threads, preset, work);
    }

    /** The first {@code limit} registered subjects (sorted) that have a truth on their CT's grid. */
    private static List<String> subjects(Path run, int limit) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("registration"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(id -> Files.isRegularFile(run.resolve("phantom/truth/" + id + "/labels.nii.gz")))
                    // untilted subjects only: their truth shares the CT grid, so Dice needs no resampling
                    .filter(id -> NiftiReader.readHeader(run.resolve("phantom/truth/" + id + "/labels.nii.gz"))
                            .affine().maxDifference(NiftiReader.readHeader(run.resolve("registration/" + id + "/"
                            + id + "_brain_mask.nii.gz")).affine()) < 1e-3)
                    .sorted().limit(limit).toList();
        }
    }

    /** One subject: ours, then the two reference scripts (rows in that order). */
    private static List<Row> benchmark(Settings s, String id, Path atlas, Ants ants) throws Exception {
        Path results = s.results();
        int threads = s.threads();
        List<Row> rows = new ArrayList<>();
        Path dir = Files.createDirectories(s.work().resolve(id));
        Path stripped = results.resolve("registration/" + id + "/" + id + "_stripped.nii.gz");
        Path native_ = results.resolve("registration/" + id + "/" + id + "_brain_mask.nii.gz");
        Path truth = results.resolve("phantom/truth/" + id + "/labels.nii.gz");
        Path moving = dir.resolve("moving_2mm.nii.gz");
        // the reference scripts get the 2 mm image our presets register (no anti-aliasing, as in presets.yaml)
        ants.command("ResampleImageBySpacing", List.of("3", stripped.toString(), moving.toString(), "2", "2", "2",
                "0"), threads, 1).run();
        // ours: the whole tool (it resamples itself, counted in its time)
        long t0 = System.nanoTime();
        int code = run("register", "--moving", stripped.toString(), "--fixed", s.template().toString(),
                "--output-prefix", dir.resolve("ours_").toString(), "--preset", s.preset(), "--threads",
                Integer.toString(threads));
        double ours = (System.nanoTime() - t0) / 1e9;
        rows.add(new Row(id + " register " + s.preset(), ours, code == 0 ? dice(dir.resolve("ours_"), atlas, native_,
                stripped, truth, threads, ants) : Double.NaN));
        for (String script : SCRIPTS) {
            Path prefix = dir.resolve(script.replace(".sh", "_"));
            long t1 = System.nanoTime();
            ants.command(script, List.of("-d", "3", "-f", s.template().toString(), "-m", moving.toString(),
                    "-o", prefix.toString(), "-t", "s", "-n", Integer.toString(threads)), threads, 1)
                    .log(dir.resolve(script + ".log")).timeout(Duration.ofHours(2)).run();
            double seconds = (System.nanoTime() - t1) / 1e9;
            rows.add(new Row(id + " " + script, seconds, dice(prefix, atlas, native_, stripped, truth, threads, ants)));
        }
        return rows;
    }

    /** {@code deepstroke register|back-project ...} in this JVM; the error output is printed when it fails. */
    static int run(String... args) {
        StringWriter err = new StringWriter();
        int code = new Launcher(List.<Tool>of(new RegisterTool(), new BackProjectTool()),
                new PrintWriter(new StringWriter()), new PrintWriter(err, true)).run(args);
        if (code != 0) {
            System.err.println(err);
        }
        return code;
    }

    /** Mean Dice over the 20 regions of the atlas back-projected through {@code prefix}'s transforms. */
    private static double dice(Path prefix, Path atlas, Path mask, Path reference, Path truth, int threads, Ants ants)
            throws Exception {
        Path out = Path.of(prefix + "labels.nii.gz");
        int code = run("back-project", "--labels", atlas.toString(), "--reference", reference.toString(), "--output",
                out.toString(), "--mask", mask.toString(), "--transform", "[" + prefix + "0GenericAffine.mat,1]",
                "--transform", prefix + "1InverseWarp.nii.gz", "--threads", Integer.toString(threads));
        if (code != 0) {
            return Double.NaN;
        }
        ImageVolume p = NiftiReader.read(out);
        ImageVolume t = NiftiReader.read(truth);
        if (!t.sameGrid(p, 1e-3)) {
            throw new IllegalStateException(truth + ": truth not on the CT grid (tilted scan): not benchmarked");
        }
        double sum = 0;
        for (int label = 1; label <= 20; label++) {
            sum += SegmentationMetrics.dice(p, t, label);
        }
        return sum / 20;
    }
}
