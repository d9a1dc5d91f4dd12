package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The static container check (Docker cannot run in CI): every process in modules/ resolves, in the docker,
 * singularity and apptainer profiles, to an image pinned by digest; every recipe's base images are pinned by digest
 * and nothing says `latest`; and while containers/images.config still holds the placeholders build.sh replaces, the
 * config says so and a container run stops before any task, naming build.sh.
 */
class ContainerPinningTest {

    private static final Pattern PROCESS = Pattern.compile("(?m)^process\\s+([A-Z0-9_]+)\\s*\\{");
    private static final Pattern LABEL = Pattern.compile("(?m)^\\s*label\\s+['\"]([^'\"]+)['\"]");
    private static final Pattern CONTAINER_LINE = Pattern.compile(
            "^process\\.(?:'(withName|withLabel):(.+)'\\.)?container = '(.*)'$");
    /** registry/name[:tag]@sha256:digest, or the explicit placeholder build.sh replaces. */
    private static final Pattern PINNED = Pattern.compile("^[a-z0-9.\\-/_]+(:[A-Za-z0-9._\\-]+)?@sha256:([0-9a-f]{64}|UNBUILT)$");
    private static final Pattern REAL_DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");

    /** Process name to its labels, from every modules/** /main.nf. */
    static Map<String, List<String>> processes() throws IOException {
        Map<String, List<String>> all = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ProjectPaths.root().resolve("modules"))) {
            files = walk.filter(p -> p.getFileName().toString().equals("main.nf")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher m = PROCESS.matcher(text);
            List<int[]> starts = new ArrayList<>();
            List<String> names = new ArrayList<>();
            while (m.find()) {
                starts.add(new int[] {m.start()});
                names.add(m.group(1));
            }
            for (int i = 0; i < names.size(); i++) {
                String body = text.substring(starts.get(i)[0], i + 1 < names.size() ? starts.get(i + 1)[0] : text.length());
                List<String> labels = new ArrayList<>();
                Matcher l = LABEL.matcher(body);
                while (l.find()) {
                    labels.add(l.group(1));
                }
                all.put(names.get(i), labels);
            }
        }
        return all;
    }

    /** The container each process gets in a profile: withName beats withLabel beats the default (Nextflow's order). */
    static Map<String, String> resolve(String profile) throws IOException {
        Path root = ProjectPaths.root();
        Subprocess.Result config = Subprocess.run(List.of(root.resolve("nextflow").toString(), "config", "-profile",
                profile, "-flat"), root, Map.of("NXF_ANSI_LOG", "false"), Duration.ofMinutes(3));
        assertEquals(0, config.exit(), config.describe());
        String fallback = null;
        Map<String, String> byName = new LinkedHashMap<>();
        Map<String, String> byLabel = new LinkedHashMap<>();
        for (String line : config.stdout().lines().toList()) {
            Matcher m = CONTAINER_LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            if (m.group(1) == null) {
                fallback = m.group(3);
            } else if (m.group(1).equals("withName")) {
                byName.put(m.group(2), m.group(3));
            } else {
                byLabel.put(m.group(2), m.group(3));
            }
        }
        Map<String, String> resolved = new TreeMap<>();
        for (Map.Entry<String, List<String>> p : processes().entrySet()) {
            String image = fallback;
            for (Map.Entry<String, String> l : byLabel.entrySet()) {
                if (p.getValue().contains(l.getKey())) {
                    image = l.getValue();
                }
            }
            for (Map.Entry<String, String> n : byName.entrySet()) {
                if (p.getKey().matches(n.getKey())) {
                    image = n.getValue();
                }
            }
            resolved.put(p.getKey(), image);
        }
        return resolved;
    }

    static boolean imagesUnbuilt() throws IOException {
        Path root = ProjectPaths.root();
        boolean unbuilt = Files.readString(root.resolve("containers/images.config"))
                .contains("deepstroke-images-status: UNBUILT");
        return unbuilt;
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "singularity", "apptainer", "docker,cuda"})
    void everyProcessResolvesToAnImagePinnedByDigest(String profile) throws IOException {
        Map<String, String> resolved = resolve(profile);
        assertTrue(resolved.size() >= 7, "processes found in modules/: " + resolved.keySet());
        boolean unbuilt = imagesUnbuilt();
        for (Map.Entry<String, String> e : resolved.entrySet()) {
            String image = e.getValue();
            if (image == null) {
                fail(e.getKey() + " has no container in -profile " + profile);
            }
            assertTrue(PINNED.matcher(image).matches(), e.getKey() + ": not pinned by digest: " + image);
            assertFalse(image.contains(":latest"), e.getKey() + ": " + image);
            // A placeholder only while the config says the images are unbuilt; real digests once it says BUILT.
            assertEquals(!unbuilt, REAL_DIGEST.matcher(image).find(),
                    e.getKey() + ": " + image + " vs images.config status " + (unbuilt ? "UNBUILT" : "BUILT"));
        }
        // Stage families: ANTs stages in the ants image, the rest in java-tools.
        assertTrue(resolved.get("ATLAS").contains("/ants@"), resolved.toString());
        assertTrue(resolved.get("DICOM_TO_NIFTI").contains("/java-tools@"), resolved.toString());
        assertTrue(resolved.get("REPORT").contains("/java-tools@"), resolved.toString());
    }

    @Test
    void recipesPinEveryBaseImageByDigestAndNeverSayLatest() throws IOException {
        Path containers = ProjectPaths.root().resolve("containers");
        List<Path> recipes;
        try (Stream<Path> walk = Files.walk(containers)) {
            recipes = walk.filter(p -> p.getFileName().toString().equals("Dockerfile")).sorted().toList();
        }
        assertEquals(List.of("ants", "java-tools", "training-cpu", "training-cuda"),
                recipes.stream().map(p -> p.getParent().getFileName().toString()).toList());
        Pattern pinnedBase = Pattern.compile("^[a-z0-9.\\-/_]+:[A-Za-z0-9._\\-]+@sha256:[0-9a-f]{64}$");
        for (Path recipe : recipes) {
            List<String> lines = Files.readAllLines(recipe);
            Map<String, String> args = new HashMap<>();
            List<String> stages = new ArrayList<>();
            int froms = 0;
            for (String raw : lines) {
                String line = raw.trim();
                assertFalse(line.toLowerCase().matches(".*\\blatest\\b.*") && !line.startsWith("#"),
                        recipe + ": says latest: " + line);
                Matcher arg = Pattern.compile("^ARG\\s+(\\w+)=(\\S+)").matcher(line);
                if (arg.find()) {
                    args.put(arg.group(1), arg.group(2));
                }
                List<String> refs = new ArrayList<>();
                Matcher from = Pattern.compile("^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?",
                        Pattern.CASE_INSENSITIVE).matcher(line);
                if (from.find()) {
                    froms++;
                    refs.add(from.group(1));
                    if (from.group(2) != null) {
                        stages.add(from.group(2));
                    }
                }
                Matcher copy = Pattern.compile("--from=(\\S+)").matcher(line);
                if (line.startsWith("COPY") && copy.find()) {
                    refs.add(copy.group(1));
                }
                for (String ref : refs) {
                    String value = ref;
                    Matcher var = Pattern.compile("^\\$\\{?(\\w+)}?$").matcher(ref);
                    if (var.matches()) {
                        value = args.get(var.group(1));
                        assertTrue(value != null, recipe + ": " + ref + " has no pinned ARG default");
                    }
                    if (stages.contains(value) && !line.toUpperCase().startsWith("FROM")) {
                        continue; // COPY --from an earlier stage of this recipe
                    }
                    assertTrue(pinnedBase.matcher(value).matches(), recipe + ": base not pinned by digest: " + value);
                }
            }
            assertTrue(froms >= 1, recipe + " has no FROM");
        }
        // build.sh exists, is executable and documents itself
        Path build = containers.resolve("build.sh");
        assertTrue(Files.isExecutable(build), build.toString());
        Subprocess.Result help = Subprocess.run(List.of("bash", build.toString(), "--help"), Duration.ofSeconds(30));
        assertEquals(0, help.exit(), help.describe());
        assertTrue(help.stdout().contains("--push"), help.stdout());
    }

    @Test
    void unbuiltImagesStopAContainerRunBeforeAnyTask(@TempDir Path launchDir) throws IOException {
        Path root = ProjectPaths.root();
        if (!imagesUnbuilt()) {
            // built and pinned: no placeholder may be left in either config file
            assertFalse(Files.readString(root.resolve("containers/images.config")).contains("UNBUILT"));
            assertFalse(Files.readString(root.resolve("containers/images-cuda.config")).contains("UNBUILT"));
            return;
        }
        Subprocess.Result run = Subprocess.run(List.of(root.resolve("nextflow").toString(), "run",
                root.resolve("main.nf").toString(), "-profile", "test,docker", "--outdir", "results"),
                launchDir, Map.of("NXF_ANSI_LOG", "false"), Duration.ofMinutes(5));
        assertEquals(1, run.exit(), run.describe());
        assertTrue(run.stdout().contains("Container images not built yet: containers/images.config hold placeholders")
                && run.stdout().contains("containers/build.sh --push"), run.stdout());
        assertFalse(Files.exists(launchDir.resolve("results/atlas")), "no task ran");
    }
}
