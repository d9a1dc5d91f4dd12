package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.phantom.tools.PhantomTool;

/**
 * Cohorts the tests share (generated once per test JVM through the real command line) and their inputs: the shared
 * muschelli 2 mm CT template and a {@link StandInAtlas} label map.
 */
final class TestCohorts {

    static final String KEY = "phantom-test-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    private static Path scratch;
    private static final Map<String, Path> CACHE = new HashMap<>();

    private TestCohorts() {
    }

    static synchronized Path scratch() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("phantom-test-");
            Path dir = scratch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    CohortGenerator.deleteTree(dir);
                } catch (IOException e) {
                    // best effort
                }
            }));
        }
        return scratch;
    }

    static Path templateWithSkull() {
        return ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_with_skull_2mm.nii.gz");
    }

    static Path template() {
        return ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
    }

    static synchronized Path labels() throws IOException {
        Path labels = scratch().resolve("standin_labels.nii.gz");
        if (!Files.exists(labels)) {
            StandInAtlas.write(template(), labels);
        }
        return labels;
    }

    static synchronized Path keyFile() throws IOException {
        Path key = scratch().resolve("pseudonym.key");
        if (!Files.exists(key)) {
            Files.writeString(key, KEY + "\n");
        }
        return key;
    }

    /** The arguments of the small cohort: 2 subjects at 256 x 256, both with overlays (one in a derived copy),
     * one tilted, one normal. */
    static List<String> smallArgs(Path out) throws IOException {
        return List.of("phantom", "--template-with-skull", templateWithSkull().toString(),
                "--labels", labels().toString(), "--template", template().toString(),
                "--subjects", "2", "--seed", "7", "--overlay-share", "1", "--tilt-share", "0.5",
                "--normal-share", "0.5", "--matrix", "256", "--threads", "2",
                "--pseudonym-key-file", keyFile().toString(), "--output-dir", out.toString());
    }

    /** The small cohort (generated on first use). */
    static synchronized Path small() throws IOException {
        Path out = CACHE.get("small");
        if (out == null) {
            out = scratch().resolve("small");
            run(smallArgs(out));
            CACHE.put("small", out);
        }
        return out;
    }

    /** Seed of the tiny tilted MNI subject {@link MotionTest}, {@link StreakTest} and {@link SpacingStepTest} share.
     * Its subject 0: a 4 mm NCCT, tilted, 128 matrix; with motion a transient run of 3 slices through the labelled
     * levels, 2.48 deg, 4.4 mm; with a spacing step 4 then 6.84 mm from slice 15. */
    static final long TILTED_MNI_SEED = 25;

    /** The tiny tilted MNI cohort (one subject, seed {@link #TILTED_MNI_SEED}, no overlays, a bone slab) with
     * {@code extra} options, generated once per test JVM and name: the artefact tests compare their option against
     * the same artefact-free cohort ({@code extra} empty), which is generated once for all of them. */
    static synchronized Path tiltedMni(String name, List<String> extra) throws IOException {
        String key = "tilted-mni/" + name;
        Path out = CACHE.get(key);
        if (out == null) {
            out = scratch().resolve("tilted-mni").resolve(name);
            List<String> args = new ArrayList<>(List.of("phantom", "--anatomy", "mni", "--aspects-masks",
                    ProjectPaths.sharedFile("atlas/aspects-regions-mni").toString(), "--subjects", "1", "--seed",
                    Long.toString(TILTED_MNI_SEED), "--overlay-share", "0", "--tilt-share", "1", "--matrix", "128",
                    "--thin-coverage", "slab", "--threads", "1", "--pseudonym-key-file", keyFile().toString(),
                    "--output-dir", out.toString()));
            args.addAll(extra);
            run(args);
            CACHE.put(key, out);
        }
        return out;
    }

    /** The tiny tilted MNI cohort without any artefact option. */
    static Path tiltedMniPlain() throws IOException {
        return tiltedMni("plain", List.of());
    }

    /** The truth folder of a one-subject cohort. */
    static Path onlySubject(Path cohort) throws IOException {
        List<Path> dirs = subjectDirs(cohort);
        assertEquals(1, dirs.size());
        return dirs.get(0);
    }

    /** The DICOM files of a one-subject cohort's series of {@code role} (ncct, bone, cta, localizer), in order. */
    static List<Path> seriesFiles(Path cohort, String role) throws IOException {
        String uid = series(truth(onlySubject(cohort)), role).get("series_instance_uid").asText();
        return DicomRead.seriesFiles(cohort.resolve("dicom"), uid);
    }

    /** The NCCT of a one-subject cohort, read. */
    static DicomRead.Series ncct(Path cohort) throws IOException {
        return DicomRead.series(seriesFiles(cohort, "ncct"));
    }

    /** Runs `deepstroke ...` in-process through the launcher and fails the test unless it exits 0. */
    static String run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Launcher(List.of(new PhantomTool()), new PrintWriter(out, true), new PrintWriter(err, true))
                .run(args.toArray(new String[0]));
        assertEquals(0, code, "deepstroke " + String.join(" ", args) + "\nstdout: " + out + "\nstderr: " + err);
        return out.toString();
    }

    static List<Path> subjectDirs(Path cohort) throws IOException {
        try (Stream<Path> s = Files.list(cohort.resolve("truth"))) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static JsonNode truth(Path subjectDir) throws IOException {
        return JSON.readTree(subjectDir.resolve("truth.json").toFile());
    }

    /** The series entry of a role in truth.json. */
    static JsonNode series(JsonNode truth, String role) {
        for (JsonNode s : truth.get("series")) {
            if (s.get("role").asText().equals(role)) {
                return s;
            }
        }
        return null;
    }

    /** Every regular file under {@code root}, relative, sorted. */
    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> out = new ArrayList<>();
            s.filter(Files::isRegularFile).map(root::relativize).sorted().forEach(out::add);
            return out;
        }
    }
}
