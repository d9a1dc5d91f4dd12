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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The static container check: every process in modules/ resolves, in the podman, docker, singularity and apptainer
 * profiles, to an image pinned by digest; every recipe starts from scratch + the Debian rootfs build.sh makes (no
 * remote base image, no RUN step, nothing says `latest`); and a config that still holds the placeholders build.sh
 * replaces says so, and a container run stops before any task, naming build.sh. (The images themselves:
 * ContainerImagesTest; a run inside them: OperationsEndToEndTest.)
 */
class ContainerPinningTest {

    private static final Pattern PROCESS = Pattern.compile("(?m)^process\\s+([A-Z0-9_]+)\\s*\\{");
    private static final Pattern LABEL = Pattern.compile("(?m)^\\s*label\\s+['\"]([^'\"]+)['\"]");
    private static final Pattern CONTAINER_LINE = Pattern.compile(
            "^process\\.(?:'(withName|withLabel):(.+)'\\.)?container = '(.*)'$");
    /** registry/name[:tag]@sha256:digest, or the explicit placeholder build.sh replaces. */
    private static final Pattern PINNED = Pattern.compile(
            "^[a-z0-9.\\-_]+(:[0-9]+)?(/[a-z0-9.\\-_]+)+(:[A-Za-z0-9._\\-]+)?@sha256:([0-9a-f]{64}|UNBUILT)$");
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
        Subprocess.Result config = Nextflow.config().profile(profile).args("-flat").execute(Duration.ofMinutes(3));
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
    @ValueSource(strings = {"podman", "docker", "singularity", "apptainer", "docker,cuda"})
    void everyProcessResolvesToAnImagePinnedByDigest(String profile) throws IOException {
        Map<String, String> resolved = resolve(profile);
        assertTrue(resolved.size() >= 7, "processes found in modules/: " + resolved.keySet());
        boolean unbuilt = imagesUnbuilt();
        boolean cudaUnbuilt = Files.readString(ProjectPaths.root().resolve("containers/images-cuda.config"))
                .contains("deepstroke-images-status: UNBUILT");
        for (Map.Entry<String, String> e : resolved.entrySet()) {
            String image = e.getValue();
            if (image == null) {
                fail(e.getKey() + " has no container in -profile " + profile);
            }
            assertTrue(PINNED.matcher(image).matches(), e.getKey() + ": not pinned by digest: " + image);
            assertFalse(image.contains(":latest"), e.getKey() + ": " + image);
            // A placeholder only while the config says the images are unbuilt; real digests once it says BUILT.
            boolean placeholder = image.contains("/training-cuda@") ? cudaUnbuilt : unbuilt;
            assertEquals(!placeholder, REAL_DIGEST.matcher(image).find(),
                    e.getKey() + ": " + image + " vs its config's status " + (placeholder ? "UNBUILT" : "BUILT"));
        }
        // Stage families: ANTs stages in the ants image, the rest in java-tools.
        assertTrue(resolved.get("ATLAS").contains("/ants@"), resolved.toString());
        assertTrue(resolved.get("DICOM_TO_NIFTI").contains("/java-tools@"), resolved.toString());
        assertTrue(resolved.get("REPORT").contains("/java-tools@"), resolved.toString());
    }

    @Test
    void recipesStartFromTheDebianRootfsAndNeverFromARemoteBase() throws IOException {
        Path containers = ProjectPaths.root().resolve("containers");
        List<Path> recipes;
        try (Stream<Path> walk = Files.walk(containers)) {
            recipes = walk.filter(p -> p.getFileName().toString().equals("Dockerfile")).sorted().toList();
        }
        assertEquals(List.of("ants", "java-tools", "training-cpu", "training-cuda"),
                recipes.stream().map(p -> p.getParent().getFileName().toString()).toList());
        for (Path recipe : recipes) {
            List<String> lines = Files.readAllLines(recipe).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            // Docker Hub is unreachable and a base pulled by tag is not reproducible: the only base is the rootfs
            // tarball build.sh makes with mmdebstrap (ADD extracts it), and no RUN step writes build-time state
            assertEquals(List.of("FROM scratch"), lines.stream().filter(l -> l.toUpperCase().startsWith("FROM")).toList(),
                    recipe.toString());
            assertEquals("ADD rootfs.tar /", lines.get(1), recipe.toString());
            assertFalse(lines.stream().anyMatch(l -> l.toUpperCase().startsWith("RUN") || l.contains("--from=")),
                    recipe.toString());
            assertFalse(lines.stream().anyMatch(l -> l.toLowerCase().matches(".*\\blatest\\b.*")), recipe.toString());
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
        boolean unbuilt = imagesUnbuilt();
        if (!unbuilt) {
            // built and pinned: no placeholder may be left in images.config
            assertFalse(Files.readString(root.resolve("containers/images.config")).contains("UNBUILT"));
        }
        // Once both configs are built, the guard is still run: on a copy of the project whose images-cuda.config is
        // UNBUILT (the state of any family nobody has pushed), whatever the repository's copy says.
        Path script = unbuilt ? root.resolve("main.nf") : projectWithUnbuiltCuda(launchDir.resolve("project"))
                .resolve("main.nf");
        String profile = unbuilt ? "test,docker" : "test,podman,cuda";
        String config = unbuilt ? "images.config" : "images-cuda.config";
        Subprocess.Result run = Nextflow.run(script).in(launchDir).profile(profile).outdir("results")
                .execute(Duration.ofMinutes(5));
        assertEquals(1, run.exit(), run.describe());
        assertTrue(run.stdout().contains("Container images not built yet: containers/" + config + " hold placeholders")
                && run.stdout().contains("containers/build.sh --push"), run.stdout());
        assertFalse(Files.exists(launchDir.resolve("results/atlas")), "no task ran");
    }

    /**
     * The project as links in {@code dir} (main.nf and nextflow.config copied, so Nextflow's projectDir is
     * {@code dir}), with containers/images-cuda.config rewritten to its UNBUILT form. Run outputs (results, work)
     * and hidden entries other than .tools are left out.
     */
    private static Path projectWithUnbuiltCuda(Path dir) throws IOException {
        Path root = ProjectPaths.root();
        Files.createDirectories(dir.resolve("containers"));
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.equals("containers") || name.equals("results") || name.equals("work")
                        || (name.startsWith(".") && !name.equals(".tools"))) {
                    continue;
                }
                if (name.equals("main.nf") || name.equals("nextflow.config")) {
                    Files.copy(p, dir.resolve(name));
                } else {
                    Files.createSymbolicLink(dir.resolve(name), p);
                }
            }
        }
        try (Stream<Path> entries = Files.list(root.resolve("containers"))) {
            for (Path p : entries.toList()) {
                if (!p.getFileName().toString().equals("images-cuda.config")) {
                    Files.createSymbolicLink(dir.resolve("containers").resolve(p.getFileName()), p);
                }
            }
        }
        String cuda = Files.readString(root.resolve("containers/images-cuda.config"))
                .replace("deepstroke-images-status: BUILT", "deepstroke-images-status: UNBUILT")
                .replaceAll("@sha256:[0-9a-f]{64}", "@sha256:UNBUILT");
        assertTrue(cuda.contains("deepstroke-images-status: UNBUILT"), cuda);
        Files.writeString(dir.resolve("containers/images-cuda.config"), cuda);
        return dir;
    }
}
