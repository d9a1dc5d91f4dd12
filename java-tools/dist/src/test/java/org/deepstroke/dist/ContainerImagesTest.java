package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images for real: containers/build.sh builds java-tools, ants and training-cpu with podman from an mmdebstrap
 * Debian rootfs, pushes them to the local registry it starts and pins containers/images.config to the digests the
 * registry answers; the images hold what they promise; and a second build of java-tools from a cold cache (a new
 * rootfs from the Debian mirror, a new image) reproduces its digest bit for bit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImagesTest {

    @AfterAll
    static void stopRegistry() {
        ContainerImages.stopRegistryIfOurs();
    }

    static Subprocess.Result podman(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return Subprocess.run(command, Duration.ofMinutes(5));
    }

    /** A folder of an image, copied out to {@code tmp} through a created (never started) container. */
    static Path copyOut(String image, String folder, Path tmp) {
        Subprocess.Result created = podman("create", image, "true");   // the images name no command of their own
        assertEquals(0, created.exit(), created.describe());
        String id = created.stdout().trim();
        try {
            Subprocess.Result cp = podman("cp", id + ":" + folder, tmp.toString());
            assertEquals(0, cp.exit(), cp.describe());
        } finally {
            podman("rm", id);
        }
        return tmp.resolve(Path.of(folder).getFileName());
    }

    @Test
    @Order(1)
    void buildPushesEveryFamilyAndPinsTheRegistryDigests() throws Exception {
        ContainerImages.build();
        Map<String, String> refs = ContainerImages.pinned();
        for (Map.Entry<String, String> e : refs.entrySet()) {
            // the registry serves exactly this manifest: skopeo recomputes the digest of what it downloads
            Subprocess.Result inspect = Subprocess.run(List.of("skopeo", "inspect", "--tls-verify=false",
                    "--format", "{{.Digest}}", "docker://" + e.getValue()), Duration.ofMinutes(2));
            assertEquals(0, inspect.exit(), inspect.describe());
            assertEquals(e.getValue().substring(e.getValue().indexOf('@') + 1), inspect.stdout().trim());
            // the lock lists the Debian packages inside, with the snapshot archive that serves those versions
            String lock = Files.readString(ProjectPaths.root().resolve("containers/" + e.getKey() + "/packages.lock"));
            assertTrue(lock.contains("https://snapshot.debian.org/archive/debian/")
                    && lock.contains("https://snapshot.debian.org/archive/debian-security/"), lock);
            assertTrue(Pattern.compile("(?m)^openjdk-17-jre-headless 17\\.\\S+ amd64$").matcher(lock).find(), lock);
            assertTrue(Pattern.compile("(?m)^# SOURCE_DATE_EPOCH=\\d+ ").matcher(lock).find(), lock);
        }
        String antsLock = Files.readString(ProjectPaths.root().resolve("containers/ants/packages.lock"));
        assertTrue(Pattern.compile("(?m)^sid:ants 2\\.6\\.5\\S* amd64$").matcher(antsLock).find(), antsLock);
        // the cuda family is opt-in (containers/README.md): its config stays UNBUILT unless someone pushed it
        String cuda = Files.readString(ProjectPaths.root().resolve("containers/images-cuda.config"));
        assertTrue(cuda.contains("deepstroke-images-status: UNBUILT") || cuda.matches("(?s).*@sha256:[0-9a-f]{64}.*"), cuda);
    }

    @Test
    @Order(2)
    void imagesHoldTheirToolsAndNothingFromTheHost() throws Exception {
        Map<String, String> refs = ContainerImages.pinned();
        // ANTs 2.6.5 (Debian sid's closure) in the ants image, found the way the registration tools find it
        Subprocess.Result ants = podman("run", "--rm", "--network=none", refs.get("ants"), "deepstroke", "versions");
        assertEquals(0, ants.exit(), ants.describe());
        // Debian sid builds it from a tarball: antsRegistration --version says 2.6.5.dev1-gGIT-NOTFOUND, on the host too
        assertTrue(ants.stdout().contains("ants: \"2.6.5"), ants.stdout());
        Subprocess.Result reg = podman("run", "--rm", "--network=none", refs.get("ants"), "antsRegistration", "--version");
        assertEquals(0, reg.exit(), reg.describe());
        assertTrue(reg.stdout().contains("2.6.5"), reg.stdout());
        // Debian's JRE 17 everywhere; the light image has no ANTs (that is the ants family's job)
        Subprocess.Result light = podman("run", "--rm", "--network=none", refs.get("java-tools"), "deepstroke", "versions");
        assertEquals(0, light.exit(), light.describe());
        assertTrue(light.stdout().contains("java: \"17.") && light.stdout().contains("Debian"), light.stdout());
        assertTrue(light.stdout().contains("ants: \"not found\""), light.stdout());
        // the training image carries the dl4j class-path family (nd4j-native)
        Subprocess.Result dl4j = podman("run", "--rm", "--network=none", refs.get("training-cpu"), "sh", "-c",
                "ls /opt/deepstroke/lib/dl4j | grep -c '^nd4j-native'");
        assertEquals(0, dl4j.exit(), dl4j.describe());
        assertTrue(Integer.parseInt(dl4j.stdout().trim()) >= 2, dl4j.stdout());
    }

    @Test
    @Order(3)
    void secondBuildFromAColdCacheReproducesTheDigest(@TempDir Path cache) throws Exception {
        String pinned = ContainerImages.pinned().get("java-tools");
        // a new rootfs from the Debian mirror (mmdebstrap), a new image, pushed again: same bytes, same digest
        Subprocess.Result again = Subprocess.run(List.of("bash",
                ProjectPaths.root().resolve("containers/build.sh").toString(), "--skip-jars", "--registry",
                ContainerImages.REGISTRY, "--only", "java-tools", "--force"), ProjectPaths.root(),
                Map.of("DEEPSTROKE_CONTAINER_CACHE", cache.toString()), Duration.ofMinutes(20));
        assertEquals(0, again.exit(), again.describe());
        assertTrue(again.stderr().contains("mmdebstrap: Debian bookworm rootfs"), "the rootfs was built anew: " + again.stderr());
        Matcher pushed = Pattern.compile("pushed (127\\.0\\.0\\.1:5000/java-tools@sha256:[0-9a-f]{64})").matcher(again.stderr());
        assertTrue(pushed.find(), again.stderr());
        assertEquals(pinned, pushed.group(1), "a second build of the same recipe and packages");
        assertEquals(pinned, ContainerImages.pinned().get("java-tools"));
    }

    /**
     * OPT-IN (-Ddeepstroke.test.cuda=true; downloads 1.74 GB of CUDA jars from Maven Central and builds a ~4 GB
     * image, far beyond CI's budget for an image nothing here can run): the training-cuda image resolves every shared
     * library nd4j-cuda-11.6's JNI libraries need, except the GPU driver's own libcuda.so.1 and libnvidia-ml.so.1
     * (NVML), which the host's driver provides at run time (--gpus all / --nv, the NVIDIA container toolkit mounts
     * them). First run (2026-12-07): 66 libraries checked; unresolved only libcuda.so.1 (24 JNI libraries) and
     * libnvidia-ml.so.1 (libjninvml.so).
     */
    /** The NVIDIA driver's own libraries: never in an image, mounted from the host by --gpus all / --nv. */
    private static final Set<String> HOST_DRIVER = Set.of("libcuda.so.1", "libnvidia-ml.so.1");

    @Test
    @Order(4)
    void cudaImageResolvesEveryLibraryOfNd4jCuda(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("deepstroke.test.cuda"),
                "opt-in: -Ddeepstroke.test.cuda=true builds training-cuda (1.74 GB download; containers/README.md)");
        ContainerImages.build("--only", "training-cuda");
        String config = Files.readString(ProjectPaths.root().resolve("containers/images-cuda.config"));
        Matcher ref = Pattern.compile("'(127\\.0\\.0\\.1:5000/training-cuda@sha256:[0-9a-f]{64})'").matcher(config);
        assertTrue(ref.find(), config);
        // nd4j's JNI libraries ship inside the dl4j family's *-linux-x86_64 jars and JavaCPP unpacks them only when
        // a backend loads, which needs a GPU; the image's JRE has no unzip either. So they are unpacked here from
        // the image's own jars (podman cp), as JavaCPP's cache lays them out (one folder on the library path), and
        // mounted read-only where ldd runs: inside the image, on its libraries.
        Path natives = ContainerImages.unpackNatives(copyOut(ref.group(1), "/opt/deepstroke/lib/dl4j", tmp),
                tmp.resolve("jcpp"));
        Subprocess.Result ldd = podman("run", "--rm", "--network=none", "-v", natives + ":/tmp/jcpp:ro", ref.group(1),
                "sh", "-c", "export LD_LIBRARY_PATH=/tmp/jcpp:$LD_LIBRARY_PATH; "
                + "for f in $(find /tmp/jcpp /opt/cuda/lib -name '*.so*' -type f); do echo \"== $f\"; ldd $f; done");
        assertEquals(0, ldd.exit(), ldd.describe());
        assertTrue(ldd.stdout().contains("libjnind4jcuda.so"), ldd.stdout());
        assertTrue(ldd.stdout().contains("libcublas.so.11 => /opt/cuda/lib/"), ldd.stdout());
        List<String> missing = ldd.stdout().lines().filter(l -> l.contains("not found"))
                .filter(l -> !HOST_DRIVER.contains(l.trim().split(" ")[0])).distinct().toList();
        assertEquals(List.of(), missing, "unresolved libraries in the training-cuda image");
    }
}
