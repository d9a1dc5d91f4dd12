package org.deepstroke.unet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deepstroke.unet.SyntheticDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training process killed (SIGKILL) after its first checkpoint continues at the next epoch when restarted. */
class KillAndResumeTest {

    @TempDir
    Path tmp;

    private Process start(Path dataset, Path out, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.deepstroke.core.cli.Launcher",
                "train", "--dataset", dataset.toString(), "--output-dir", out.toString(), "--volume-size", "16",
                "--depth", "2", "--base-channels", "4", "--epochs", "4", "--learning-rate", "0.01"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    @Test
    void killedRunContinuesFromItsCheckpoint() throws Exception {
        Path dataset = SyntheticDataset.write(tmp.resolve("ds"), 4, 1, 0, 24, 5);
        Path out = tmp.resolve("train");
        Path state = out.resolve("checkpoint/state.json");
        Process first = start(dataset, out, tmp.resolve("first.log"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(state) && System.nanoTime() < deadline && first.isAlive()) {
            Thread.sleep(200);
        }
        assertTrue(Files.exists(state), "no checkpoint: " + Files.readString(tmp.resolve("first.log")));
        first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no clean-up
        int killedAfter = new ObjectMapper().readTree(state.toFile()).get("epoch").asInt();
        assertTrue(killedAfter >= 1 && killedAfter < 4, "killed after epoch " + killedAfter);

        Process second = start(dataset, out, tmp.resolve("second.log"));
        assertTrue(second.waitFor(5, TimeUnit.MINUTES));
        String log = Files.readString(tmp.resolve("second.log"));
        assertEquals(0, second.exitValue(), log);
        assertTrue(log.contains("resuming from") && log.contains("epoch " + killedAfter + " done"), log);
        assertTrue(log.contains("train epoch " + (killedAfter + 1) + "/4"), log);
        List<String> history = Files.readAllLines(out.resolve("history.tsv"));
        assertEquals(List.of("1", "2", "3", "4"), history.subList(1, history.size()).stream()
                .map(l -> l.split("\t")[0]).toList());
        JsonNode train = new ObjectMapper().readTree(out.resolve("train.json").toFile());
        assertEquals(killedAfter + 1, train.get("result").get("start_epoch").asInt());
        assertEquals(4, train.get("result").get("last_epoch").asInt());
    }
}
