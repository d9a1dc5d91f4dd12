package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm profile on a real one-node SLURM cluster (Debian's slurmctld/slurmd/munge, started and stopped by this
 * test: {@link SlurmCluster}): the test profile runs through sbatch, and the controller's job records show every task
 * as a completed job in the cpu partition with the CPUs and time limit of its resource label; -profile slurm,podman
 * runs the tasks' containers inside SLURM jobs. What one node with 2 CPUs and no GPU cannot show, the --gres the gpu
 * label asks for (8 CPUs, 32 GB, GPUs), is checked on the job script with the fake sbatch/squeue/scancel kept in
 * src/test/resources/fake-slurm.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmProfileTest {

    @TempDir
    Path launchDir;

    @TempDir
    static Path clusterDir;

    static SlurmCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = SlurmCluster.start(clusterDir);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        ContainerImages.stopRegistryIfOurs();
    }

    /** Poll the queue every 2 s instead of the profile's 15 s (a site setting, not what is tested here). */
    private Path quickPolling() throws Exception {
        Path config = launchDir.resolve("quick-polling.config");
        Files.writeString(config, "executor {\n    pollInterval = '2 sec'\n    queueStatInterval = '2 sec'\n"
                + "    submitRateLimit = '20/1s'\n}\n");
        return config;
    }

    private Subprocess.Result runOnCluster(String profile, String... extra) throws Exception {
        // a hang guard, not a timing check: the test profile through the one-node cluster takes ~6 min on 2 cores
        return Nextflow.run().in(launchDir).profile(profile).args("-c", quickPolling().toString()).outdir("results")
                .args(extra).env(cluster.env()).execute(Duration.ofMinutes(30));
    }

    /** Job records of the trace's tasks, by the native id (SLURM job id) the trace names. */
    private List<Map<String, String>> recordsOf(List<Map<String, String>> trace) throws Exception {
        Map<String, Map<String, String>> jobs = cluster.jobs();
        List<Map<String, String>> records = new ArrayList<>();
        for (Map<String, String> row : trace) {
            Map<String, String> job = jobs.get(row.get("native_id"));
            assertTrue(job != null, "no controller record of job " + row.get("native_id") + " (" + row + "): " + jobs.keySet());
            records.add(job);
        }
        return records;
    }

    @Test
    @Order(1)
    void testProfileRunsThroughARealSlurmCluster() throws Exception {
        Subprocess.Result r = runOnCluster("test,slurm");
        assertEquals(0, r.exit(), r.describe() + "\n" + cluster.logs());
        List<Map<String, String>> trace = OperationsEndToEndTest.newestTrace(launchDir.resolve("results"));
        assertTrue(trace.size() >= 30, trace.toString());
        List<Map<String, String>> records = recordsOf(trace);
        for (int i = 0; i < trace.size(); i++) {
            Map<String, String> row = trace.get(i);
            Map<String, String> job = records.get(i);
            assertEquals("COMPLETED", row.get("status"), row.toString());
            assertEquals("COMPLETED", job.get("JobState"), job.toString());
            assertEquals("0:0", job.get("ExitCode"), job.toString());
            assertEquals("cpu", job.get("Partition"), job.toString());
            assertEquals("node1", job.get("NodeList"), job.toString());
            assertTrue(job.get("Name").startsWith("nf-"), job.toString());
            // the resource label reached the scheduler: ATLAS is process_medium (2 CPUs, 8 h), the rest at most 2 CPUs
            if (row.get("process").equals("ATLAS")) {
                assertEquals("2", job.get("ProcCnt"), job.toString());
                assertEquals("480", job.get("TimeLimit"), job.toString()); // minutes
            }
        }
        assertTrue(Files.isRegularFile(launchDir.resolve("results/ingest/manifest.tsv")));
        assertTrue(Files.isRegularFile(launchDir.resolve("results/atlas/aspects_labels.nii.gz")));
        assertTrue(Files.isRegularFile(launchDir.resolve("results/training/model.zip")));
    }

    @Test
    @Order(2)
    void slurmAndPodmanRunTheTasksContainersAsSlurmJobs() throws Exception {
        // the images as the container tests pin them; -stub-run keeps this to the plumbing (every task a SLURM job
        // whose script starts its podman container; the stubs' empty outputs stop the cohort after 5 tasks), the full
        // test profile in containers is OperationsEndToEndTest's
        ContainerImages.build();
        Map<String, String> images = ContainerImages.pinned();
        Subprocess.Result r = runOnCluster("test,slurm,podman", "-stub-run");
        assertEquals(0, r.exit(), r.describe() + "\n" + cluster.logs());
        List<Map<String, String>> trace = OperationsEndToEndTest.newestTrace(launchDir.resolve("results"));
        assertTrue(trace.size() >= 5, trace.toString());
        assertTrue(trace.stream().anyMatch(t -> t.get("process").equals("ATLAS") && t.get("container").equals(images.get("ants"))),
                trace.toString());
        List<Map<String, String>> records = recordsOf(trace);
        for (int i = 0; i < trace.size(); i++) {
            assertEquals("COMPLETED", records.get(i).get("JobState"), records.get(i).toString());
            assertTrue(images.containsValue(trace.get(i).get("container")), trace.get(i).toString());
        }
    }

    /** The fake queue (for what one node cannot show): sbatch/squeue/scancel that run each job locally. */
    private Subprocess.Result runFake(Path state, List<String> args) throws Exception {
        Path fakeSlurm = Path.of(getClass().getResource("/fake-slurm/sbatch").toURI()).getParent();
        Files.createDirectories(state);
        Map<String, String> env = Map.of("PATH", fakeSlurm + ":" + System.getenv("PATH"),
                "FAKE_SLURM_DIR", state.toString(), "NXF_ANSI_LOG", "false");
        return Subprocess.run(args, launchDir, env, Duration.ofMinutes(10));
    }

    private static String jobScripts(Path state) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(state)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("job_")
                    && f.getFileName().toString().endsWith(".sh")).sorted().toList()) {
                all.append(Files.readString(p));
            }
        }
        return all.toString();
    }

    @Test
    @Order(3)
    void gpuLabelAsksForGpusThroughClusterOptions() throws Exception {
        Path root = ProjectPaths.root();
        Path probe = Path.of(getClass().getResource("/gpu_probe.nf").toURI());
        Path state = launchDir.resolve("gpu-state");
        Subprocess.Result r = runFake(state, Nextflow.run(probe).args("-c", root.resolve("nextflow.config").toString())
                .profile("slurm").args("--unet_gpu").param("gpus", 2).outdir("gpu-results").command());
        assertEquals(0, r.exit(), r.describe());
        String script = jobScripts(state);
        assertTrue(script.contains("#SBATCH -p gpu\n"), script);
        assertTrue(script.contains("#SBATCH --gres=gpu:2\n"), script);
        // The label's own resources survive the profile's additions.
        assertTrue(script.contains("#SBATCH -c 8\n"), script);
        assertTrue(script.contains("#SBATCH -t 24:00:00\n"), script);
        assertTrue(script.contains("#SBATCH --mem 32768M\n"), script);
    }
}
