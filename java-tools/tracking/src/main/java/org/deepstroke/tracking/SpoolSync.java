package org.deepstroke.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pushes the journaled runs of spool folders to a tracking server ({@code deepstroke mlflow-sync}). Each run is
 * delivered by {@link RunDelivery}, so running it again, or after a half-finished attempt, creates nothing twice.
 * A journal another process holds (its run is still going on) is left alone. A journal nobody holds that never
 * got its finish entry belongs to a process that died: its run is ended as KILLED (the entry is appended to the
 * journal, end time = its last entry's time, so every later sync agrees).
 */
public final class SpoolSync {

    /** What happened to one journal. */
    public record Outcome(Path journal, String localRunId, String serverRunId, int entriesSent, String state,
            String message) {
    }

    private final MlflowRest rest;

    public SpoolSync(String trackingUri) {
        this.rest = new MlflowRest(trackingUri);
    }

    /** The journals under a spool folder (or the folder itself when it is one journal), sorted by path. */
    public static List<Path> journals(Path spool) throws IOException {
        if (RunJournal.isJournal(spool)) {
            return List.of(spool);
        }
        if (!Files.isDirectory(spool)) {
            throw new IOException(spool + ": no such spool folder");
        }
        try (Stream<Path> children = Files.list(spool)) {
            return children.filter(RunJournal::isJournal).sorted().toList();
        }
    }

    public List<Outcome> sync(List<Path> journals) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Path dir : journals) {
            outcomes.add(syncOne(dir));
        }
        return outcomes;
    }

    /**
     * States: {@code complete} (all entries on the server), {@code in-use} (another process holds the journal),
     * {@code empty} (a journal cut short before its first entry: nothing to deliver),
     * {@code unavailable} (the server did not answer; run again later), {@code refused} (the server refused an
     * entry; the message names it), {@code damaged} (the journal cannot be read).
     */
    Outcome syncOne(Path dir) {
        String localId = dir.getFileName().toString();
        RunJournal journal;
        try {
            journal = RunJournal.open(dir);
            if (journal.entries().isEmpty()) {
                // the process died while writing its very first entry: nothing was ever logged
                return new Outcome(dir, localId, "", 0, "empty", "");
            }
            localId = journal.startEntry().path("local_run_id").asText(localId);
        } catch (IOException | IllegalStateException e) {
            return new Outcome(dir, localId, "", 0, "damaged", e.getMessage());
        }
        try (journal) {
            if (!journal.tryLock()) {
                return new Outcome(dir, localId, "", 0, "in-use", "a running process holds " + dir);
            }
            if (!journal.finished()) {
                ObjectNode last = journal.entries().get(journal.entries().size() - 1);
                long end = last.path("time").asLong(System.currentTimeMillis());
                journal.append(journal.newEntry("finish").put("status", "KILLED").put("end_time", end)
                        .put("by", "mlflow-sync: the journal ended without a finish entry and no process held it"));
            }
            RunDelivery delivery = new RunDelivery(journal, rest);
            try {
                int sent = delivery.push();
                return new Outcome(dir, localId, delivery.runId(), sent, "complete", "");
            } catch (MlflowRest.Rejected e) {
                return new Outcome(dir, localId, nonNull(delivery.runId()), 0, "refused", e.getMessage());
            } catch (IOException e) {
                return new Outcome(dir, localId, nonNull(delivery.runId()), 0, "unavailable", e.getMessage());
            } catch (IllegalArgumentException e) {
                return new Outcome(dir, localId, nonNull(delivery.runId()), 0, "refused", e.getMessage());
            }
        } catch (IOException e) {
            return new Outcome(dir, localId, "", 0, "damaged", e.getMessage());
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
