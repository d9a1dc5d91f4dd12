package org.deepstroke.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's on-disk form, its crash behaviour, and the tag and experiment defaults (no server needed). */
class RunJournalTest {

    @TempDir
    Path dir;

    @Test
    void tornLastLineIsIgnoredAndCutOffByTheNextAppend() throws Exception {
        Path runDir;
        try (RunJournal journal = RunJournal.create(dir, "run1")) {
            journal.append(journal.newEntry("start").put("local_run_id", "run1").put("experiment", "e")
                    .put("run_name", "r").put("start_time", 1L));
            journal.append(journal.newEntry("params").put("x", 1));
            runDir = journal.dir();
        }
        Path file = runDir.resolve("journal.jsonl");
        // A crash in the middle of writing entry 3.
        Files.writeString(file, "{\"seq\":3,\"op\":\"met", StandardOpenOption.APPEND);
        RunJournal reopened = RunJournal.open(runDir);
        assertEquals(2, reopened.entries().size());
        assertFalse(reopened.finished());
        assertTrue(reopened.tryLock());
        reopened.append(reopened.newEntry("finish").put("status", "KILLED").put("end_time", 2L));
        reopened.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("{\"seq\":3,\"op\":\"finish\""), lines.get(2));
        assertTrue(RunJournal.open(runDir).finished());
    }

    @Test
    void journalCutBeforeItsFirstEntryIsEmptyNotAFailure() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run5"));
        Files.writeString(runDir.resolve("journal.jsonl"), "{\"seq\":1,\"op\":\"sta");
        // no server is contacted for it (nothing listens on the discard port)
        SpoolSync.Outcome outcome = new SpoolSync("http://127.0.0.1:9").syncOne(runDir);
        assertEquals("empty", outcome.state());
        assertEquals(0, outcome.entriesSent());
    }

    @Test
    void damagedLineInTheMiddleIsReportedWithFileAndLine() throws Exception {
        Path runDir = dir.resolve("run2");
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("journal.jsonl"), "{\"seq\":1,\"op\":\"start\"}\nnot json\n"
                + "{\"seq\":3,\"op\":\"finish\"}\n");
        IOException e = assertThrows(IOException.class, () -> RunJournal.open(runDir));
        assertTrue(e.getMessage().startsWith(runDir.resolve("journal.jsonl") + ": line 2 is not JSON"), e.getMessage());
    }

    @Test
    void aLockedJournalCannotBeTakenTwice() throws Exception {
        try (RunJournal journal = RunJournal.create(dir, "run3")) {
            journal.append(journal.newEntry("start"));
            try (RunJournal other = RunJournal.open(journal.dir())) {
                assertFalse(other.tryLock());
            }
        }
        try (RunJournal other = RunJournal.open(dir.resolve("run3"))) {
            assertTrue(other.tryLock(), "released on close");
        }
    }

    @Test
    void artifactCopyKeepsBytesAndHash() throws Exception {
        Path source = Files.writeString(dir.resolve("abc.txt"), "abc");
        try (RunJournal journal = RunJournal.create(dir, "run4")) {
            journal.append(journal.newEntry("start"));
            ObjectNode entry = journal.newEntry("artifact");
            journal.copyArtifact(source, "plots", entry);
            journal.append(entry);
            assertEquals("artifacts/000002/plots/abc.txt", entry.path("copy").asText());
            // sha256("abc"), FIPS 180-2 example
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", entry.path("sha256").asText());
            assertEquals(3, entry.path("bytes").asLong());
            assertEquals("abc", Files.readString(journal.artifactCopy(entry)));
        }
    }

    @Test
    void standardTagsFromTheEnvironment() {
        Map<String, String> tags = RunTags.standard(Map.of(RunTags.ENV_GIT_COMMIT, "0123456789abcdef0123456789abcdef01234567",
                RunTags.ENV_NF_RUN_NAME, "happy_turing", RunTags.ENV_NF_SESSION_ID, "5a1e",
                RunTags.ENV_CONTAINER, "ghcr.io/x/deepstroke@sha256:00ff", RunTags.ENV_BACKEND, ""));
        assertEquals(Map.of(RunTags.GIT_COMMIT, "0123456789abcdef0123456789abcdef01234567",
                RunTags.NF_RUN_NAME, "happy_turing", RunTags.NF_SESSION_ID, "5a1e",
                RunTags.CONTAINER, "ghcr.io/x/deepstroke@sha256:00ff",
                RunTags.VERSION, org.deepstroke.core.cli.Version.get()), tags, "empty values are left out");
        // Without the variable, the checkout's HEAD (DEEPSTROKE_HOME, as bin/deepstroke exports it).
        Path root = ProjectPaths.root();
        String head = Subprocess.check(List.of("git", "-C", root.toString(), "rev-parse", "HEAD"), null, Map.of(),
                java.time.Duration.ofSeconds(30)).stdout().strip();
        assertEquals(head, RunTags.standard(Map.of("DEEPSTROKE_HOME", root.toString())).get(RunTags.GIT_COMMIT));
        assertFalse(RunTags.standard(Map.of("DEEPSTROKE_HOME", dir.toString())).containsKey(RunTags.GIT_COMMIT));
    }

    @Test
    void settingsFromOptionsThenEnvironment() throws Exception {
        Map<String, String> env = Map.of(TrackingDefaults.ENV_TRACKING_URI, "http://h:1",
                TrackingDefaults.ENV_SPOOL, "/s", TrackingDefaults.ENV_EXPERIMENT, "exp");
        assertEquals("http://h:1", TrackingDefaults.trackingUri(null, env));
        assertEquals("", TrackingDefaults.trackingUri("", env), "an empty option means: journal only");
        assertEquals("", TrackingDefaults.trackingUri(null, Map.of()));
        assertEquals(Path.of("/s"), TrackingDefaults.spool(null, Path.of("/f"), env));
        assertEquals(Path.of("/o"), TrackingDefaults.spool("/o", Path.of("/f"), env));
        assertEquals(Path.of("/f"), TrackingDefaults.spool(null, Path.of("/f"), Map.of()));
        assertEquals("exp", TrackingDefaults.experiment(null, env));
        assertEquals(null, TrackingDefaults.experiment(" ", Map.of()));
        Path dataset = Files.createDirectories(dir.resolve("dataset"));
        Files.writeString(dataset.resolve("manifest.tsv"), "abc");
        assertEquals("named", TrackingDefaults.experimentForDataset("named", dataset));
        if (System.getenv(TrackingDefaults.ENV_EXPERIMENT) == null) {
            assertEquals("deepstroke-dataset-ba7816bf8f01", TrackingDefaults.experimentForDataset(null, dataset));
        }
    }
}
