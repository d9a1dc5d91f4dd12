package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;

/**
 * The real images for the container tests: containers/build.sh (podman, mmdebstrap rootfs, the local registry on
 * 127.0.0.1:5000 it starts) run on the jars this build laid out. Incremental: a family whose inputs are unchanged and
 * whose image is still in the registry is not rebuilt (seconds), so every test class may call {@link #build()}.
 */
final class ContainerImages {

    static final String REGISTRY = "127.0.0.1:5000";
    static final Pattern REF = Pattern.compile("'(127\\.0\\.0\\.1:5000/([a-z-]+)@sha256:[0-9a-f]{64})'");

    /** Whether a registry answered before the first build of this JVM (then it is not ours to stop). */
    private static Boolean registryWasUp;

    private ContainerImages() {
    }

    static boolean registryUp() {
        Subprocess.Result r = Subprocess.run(List.of("curl", "-fsS", "-o", "/dev/null", "--max-time", "2",
                "http://" + REGISTRY + "/v2/"), Duration.ofSeconds(30));
        return r.exit() == 0;
    }

    /** build.sh on the jars of this build (no `make build` inside a Maven build); fails the test when it fails. */
    static synchronized Subprocess.Result build(String... extra) {
        if (registryWasUp == null) {
            registryWasUp = registryUp();
        }
        Path root = ProjectPaths.root();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("containers/build.sh").toString(),
                "--skip-jars", "--registry", REGISTRY));
        command.addAll(List.of(extra));
        // a cold build (rootfs by mmdebstrap, three images) takes ~4 min on 2 busy cores; a hang guard, not a timing
        Subprocess.Result r = Subprocess.run(command, root, Map.of(), Duration.ofMinutes(30));
        assertEquals(0, r.exit(), r.describe());
        return r;
    }

    /** Stops the local registry if build.sh started it for this JVM. */
    static synchronized void stopRegistryIfOurs() {
        if (Boolean.FALSE.equals(registryWasUp)) {
            Subprocess.run(List.of("bash", ProjectPaths.root().resolve("containers/build.sh").toString(),
                    "--stop-registry"), Duration.ofMinutes(1));
            registryWasUp = null;
        }
    }

    /** Family (java-tools, ants, training-cpu) to its pinned reference in containers/images.config. */
    static Map<String, String> pinned() throws IOException {
        String config = Files.readString(ProjectPaths.root().resolve("containers/images.config"));
        assertTrue(config.contains("deepstroke-images-status: BUILT"), config);
        Map<String, String> refs = new TreeMap<>();
        Matcher m = REF.matcher(config);
        while (m.find()) {
            refs.put(m.group(2), m.group(1));
        }
        assertEquals(List.of("ants", "java-tools", "training-cpu"), List.copyOf(refs.keySet()), config);
        return refs;
    }

    /** software_versions.yml as process to (key to value), in file order. */
    static Map<String, Map<String, String>> versions(Path yml) throws IOException {
        Map<String, Map<String, String>> blocks = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(yml)) {
            if (line.startsWith("\"")) {
                current = new LinkedHashMap<>();
                blocks.put(line.substring(1, line.lastIndexOf('"')), current);
            } else if (!line.isBlank()) {
                if (current == null) {
                    // a versions.yml without a process header (published beside a stage's outputs)
                    current = new LinkedHashMap<>();
                    blocks.put("", current);
                }
                int colon = line.indexOf(':');
                current.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim().replaceAll("^\"|\"$", ""));
            }
        }
        return blocks;
    }

    /**
     * The shared libraries inside every *-linux-x86_64 jar of {@code jars}, unpacked flat into {@code into}, plus the
     * one JavaCPP's Loader makes at load time: libopenblas_nolapack.so.0, a copy of libopenblas.so.0 (no jar holds
     * it; seen in ~/.javacpp/cache after a CPU training run: same size, 30,990,992 bytes, in openblas 0.3.19-1.5.7).
     */
    static Path unpackNatives(Path jars, Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> list = Files.list(jars)) {
            for (Path jar : list.filter(j -> j.getFileName().toString().endsWith("-linux-x86_64.jar")).toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    for (ZipEntry e : Collections.list(zip.entries())) {
                        String name = Path.of(e.getName()).getFileName().toString();
                        if (!e.isDirectory() && name.matches(".*\\.so(\\..*)?")) {
                            try (InputStream in = zip.getInputStream(e)) {
                                Files.copy(in, into.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                            }
                        }
                    }
                }
            }
        }
        Path openblas = into.resolve("libopenblas.so.0");
        if (Files.exists(openblas)) {
            Files.copy(openblas, into.resolve("libopenblas_nolapack.so.0"), StandardCopyOption.REPLACE_EXISTING);
        }
        return into;
    }
}
