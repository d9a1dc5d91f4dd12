package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm profile, smoke-tested with a fake sbatch/squeue/scancel on PATH that run each job locally: the pipeline
 * completes through the SLURM executor, and the job scripts carry the partition, time and memory of each resource
 * label, plus --gres for the GPU label.
 */
class SlurmProfileTest {

    @TempDir
    Path launchDir;

    private Subprocess.Result run(Path state, List<String> args) throws Exception {
        Path fakeSlurm = Path.of(getClass().getResource("/fake-slurm/sbatch").toURI()).getParent();
        Files.createDirectories(state);
        Map<String, String> env = Map.of("PATH", fakeSlurm + ":" + System.getenv("PATH"),
                "FAKE_SLURM_DIR", state.toString(), "NXF_ANSI_LOG", "false");
        // a hang guard, not a timing check: the whole test profile through the fake queue takes ~7 min on 2 idle
        // cores and over 10 min on a loaded machine
        return Subprocess.run(args, launchDir, env, Duration.ofMinutes(25));
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
    void pipelineRunsThroughTheSlurmExecutor() throws Exception {
        Path root = ProjectPaths.root();
        Path state = launchDir.resolve("slurm-state");
        Subprocess.Result r = run(state, List.of(root.resolve("nextflow").toString(), "run",
                root.resolve("main.nf").toString(), "-profile", "test,slurm", "--outdir", "results",
                "--slurm_queue", "short"));
        assertEquals(0, r.exit(), r.describe());
        List<String> submissions = Files.readAllLines(state.resolve("submissions.log"));
        assertTrue(submissions.size() >= 7, submissions.toString());
        String scripts = jobScripts(state);
        assertEquals(submissions.size(), scripts.split("#SBATCH -p short\n", -1).length - 1, scripts);
        // ATLAS carries the process_medium label: 2 cpus, 8 GB, 8 h
        String atlas = scripts.substring(scripts.indexOf("#SBATCH -J nf-ATLAS"));
        atlas = atlas.substring(0, atlas.indexOf("#SBATCH -p short"));
        assertTrue(atlas.contains("#SBATCH -c 2\n") && atlas.contains("#SBATCH -t 08:00:00\n")
                && atlas.contains("#SBATCH --mem 8192M\n"), atlas);
        assertTrue(Files.isRegularFile(launchDir.resolve("results/ingest/manifest.tsv")));
    }

    @Test
    void gpuLabelAsksForGpusThroughClusterOptions() throws Exception {
        Path root = ProjectPaths.root();
        Path probe = Path.of(getClass().getResource("/gpu_probe.nf").toURI());
        Path state = launchDir.resolve("gpu-state");
        Subprocess.Result r = run(state, List.of(root.resolve("nextflow").toString(), "run", probe.toString(),
                "-c", root.resolve("nextflow.config").toString(), "-profile", "slurm", "--unet_gpu", "--gpus", "2",
                "--outdir", "gpu-results"));
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
