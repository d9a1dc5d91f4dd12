package org.deepstroke.phantom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code make bench}: times {@code deepstroke phantom} on the shared CT template (6 subjects, 512 matrix, all cores by
 * default) and prints subjects per second. Not a test: it only measures.
 *
 * <pre>
 * java -cp 'java-tools/dist/target/lib/base/*' org.deepstroke.phantom.PhantomBenchmark [--subjects N]
 *      [--matrix N] [--threads N] [--thin-coverage full|slab] [--labels FILE] [--data DIR] [--keep DIR]
 * </pre>
 * Without {@code --labels} it uses {@link StandInAtlas} boxes; {@code --data} is the shared data folder (default: found
 * as ../shared/data above the working directory); {@code --keep DIR} leaves the output there instead of deleting it.
 */
public final class PhantomBenchmark {

    private PhantomBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int subjects = 6;
        int matrix = 512;
        int threads = Runtime.getRuntime().availableProcessors();
        CohortSettings.ThinCoverage thin = CohortSettings.ThinCoverage.FULL;
        Path labels = null;
        Path data = null;
        Path keep = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--subjects" -> subjects = Integer.parseInt(value);
                case "--matrix" -> matrix = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--thin-coverage" -> thin = CohortSettings.ThinCoverage.valueOf(value.toUpperCase(Locale.ROOT));
                case "--labels" -> labels = Path.of(value);
                case "--data" -> data = Path.of(value);
                case "--keep" -> keep = Path.of(value);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        if (data == null) {
            data = findSharedData();
        }
        Path atlas = data.resolve("atlas/ct-template-muschelli-2mm");
        Path work = Files.createTempDirectory("phantom-bench-");
        try {
            if (labels == null) {
                labels = StandInAtlas.write(atlas.resolve("template_2mm.nii.gz"), work.resolve("standin_labels.nii.gz"));
            }
            Path out = keep != null ? keep : work.resolve("out");
            CohortSettings settings = new CohortSettings(subjects, 20260101L, 0.5, 0.3, 0.2, matrix, thin, threads);
            CohortGenerator.Outcome o = CohortGenerator.run(settings, new CohortGenerator.Inputs(
                    atlas.resolve("template_with_skull_2mm.nii.gz"), labels, null, atlas.resolve("template_2mm.nii.gz")),
                    out, "benchmark-key-not-secret-0123456789");
            long bytes = size(out);
            System.out.printf(Locale.ROOT, "phantom benchmark: %d subjects in %.1f s = %.3f subjects/s "
                    + "(threads %d, matrix %d, thin %s; %d DICOM files, %.0f MB)%n", subjects, o.seconds(),
                    subjects / o.seconds(), threads, matrix, thin.name().toLowerCase(Locale.ROOT), o.files(),
                    bytes / 1e6);
        } finally {
            CohortGenerator.deleteTree(work);
        }
    }

    private static Path findSharedData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(candidate.resolve("atlas"))) {
                return candidate;
            }
            if (Files.isDirectory(p.resolve("shared/data/atlas"))) {
                return p.resolve("shared/data");
            }
        }
        throw new IllegalStateException("cannot find shared/data above " + Path.of("").toAbsolutePath()
                + " (give --data DIR)");
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
