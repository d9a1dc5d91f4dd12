package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deepstroke.core.testing.Subprocess;

/**
 * A real one-node SLURM cluster for the tests: Debian's munged, slurmctld and slurmd (bookworm, 22.05), installed by
 * `make setup`, started as root with a private configuration in a temporary folder and stopped by {@link #close()}.
 * One node on 127.0.0.1 with this machine's 2 CPUs, partitions {@code cpu} (default) and {@code gpu}, a munge key
 * generated per cluster, ProctrackType=proctrack/linuxproc and TaskPlugin=task/none (no cgroup plugins needed),
 * non-default ports (16817/16818) so that a site's own SLURM is never touched. Finished jobs are the controller's
 * records in a job completion log (jobcomp/filetxt: no slurmdbd needed): {@link #jobs()}.
 */
final class SlurmCluster implements AutoCloseable {

    private final Path dir;
    private final List<Process> daemons = new ArrayList<>();

    private SlurmCluster(Path dir) {
        this.dir = dir;
    }

    /** The environment a client (sbatch, squeue, Nextflow) needs to talk to this cluster. */
    Map<String, String> env() {
        return Map.of("SLURM_CONF", dir.resolve("slurm.conf").toString());
    }

    static SlurmCluster start(Path dir) throws Exception {
        SlurmCluster cluster = new SlurmCluster(dir);
        try {
            cluster.startDaemons();
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startDaemons() throws Exception {
        for (String sub : List.of("state", "spool", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        String host = Subprocess.run(List.of("hostname", "-s"), Duration.ofSeconds(10)).stdout().trim();
        Path key = dir.resolve("munge.key");
        Subprocess.Result mk = Subprocess.run(List.of("/usr/sbin/mungekey", "--create", "--keyfile", key.toString()),
                Duration.ofSeconds(30));
        if (mk.exit() != 0) {
            fail("mungekey failed (make setup installs munge): " + mk.describe());
        }
        Path socket = dir.resolve("munge.socket");
        daemons.add(daemon(List.of("/usr/sbin/munged", "--foreground", "--force", "--key-file=" + key,
                "--socket=" + socket, "--pid-file=" + dir.resolve("munged.pid"),
                "--log-file=" + dir.resolve("log/munged.log"), "--seed-file=" + dir.resolve("munged.seed")), "munged"));
        waitFor(() -> Files.exists(socket), "munged's socket");
        Files.writeString(dir.resolve("slurm.conf"), String.join("\n",
                "ClusterName=deepstroke-test",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=16817",
                "SlurmdPort=16818",
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "AuthInfo=socket=" + socket,
                "CredType=cred/munge",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SchedulerType=sched/backfill",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/filetxt",
                "JobCompLoc=" + dir.resolve("jobcomp.txt"),
                "MinJobAge=3600",
                "ReturnToService=2",
                "MpiDefault=none",
                "NodeName=node1 NodeHostname=" + host + " NodeAddr=127.0.0.1 CPUs=2 RealMemory=20000 State=UNKNOWN",
                "PartitionName=cpu Nodes=node1 Default=YES MaxTime=INFINITE State=UP",
                "PartitionName=gpu Nodes=node1 MaxTime=INFINITE State=UP",
                ""));
        String conf = dir.resolve("slurm.conf").toString();
        daemons.add(daemon(List.of("/usr/sbin/slurmctld", "-D", "-f", conf), "slurmctld"));
        daemons.add(daemon(List.of("/usr/sbin/slurmd", "-D", "-f", conf, "-N", "node1"), "slurmd"));
        waitFor(() -> Subprocess.run(List.of("sinfo", "-h", "-n", "node1", "-o", "%T"), dir, env(),
                Duration.ofSeconds(20)).stdout().trim().startsWith("idle"), "node1 idle in sinfo");
    }

    private Process daemon(List<String> command, String name) throws IOException {
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log/" + name + ".out").toFile()).start();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            for (Process p : daemons) {
                if (!p.isAlive()) {
                    fail("a SLURM daemon ended while waiting for " + what + ": " + p.info().commandLine().orElse("?")
                            + "\n" + logs());
                }
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "\n" + logs());
            }
            Thread.sleep(250);
        }
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        for (String f : List.of("log/munged.out", "log/slurmctld.out", "log/slurmd.out", "log/slurmctld.log",
                "log/slurmd.log")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(f));
                all.append("== ").append(f).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()))).append('\n');
            } catch (IOException e) {
                // not written yet
            }
        }
        return all.toString();
    }

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S*)");

    /** The controller's records of the finished jobs: job id to its fields (JobState, Partition, ProcCnt, ...). */
    Map<String, Map<String, String>> jobs() throws IOException {
        Map<String, Map<String, String>> jobs = new LinkedHashMap<>();
        Path log = dir.resolve("jobcomp.txt");
        if (!Files.exists(log)) {
            return jobs;
        }
        for (String line : Files.readAllLines(log)) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                fields.put(m.group(1), m.group(2));
            }
            if (fields.containsKey("JobId")) {
                jobs.put(fields.get("JobId"), fields);
            }
        }
        return jobs;
    }

    @Override
    public void close() {
        // slurmd, slurmctld, then munged: SIGTERM (a clean shutdown), then SIGKILL after 30 s
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        daemons.clear();
    }
}
