package org.deepstroke.tracking;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.testing.HostileInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 for mlflow-log and mlflow-sync: the journal (--spool) is an output folder, never a file, never inside the
 * curated dataset a run reports on; refused before any run starts: exit 2, one line naming it, nothing written.
 * Before, a --spool that was a file ended in "UncheckedIOException: mlflow: cannot journal the run under ...", and a
 * journal inside the dataset folder was written there with exit 0. No server is needed: nothing gets that far.
 */
class TrackingToolsContractTest {

    @TempDir
    Path dir;

    @Test
    void theJournalIsAFolderOutsideTheInputs() throws Exception {
        Path metrics = Files.writeString(dir.resolve("metrics.tsv"), "step\tloss\n0\t1.5\n");
        Path file = Files.writeString(dir.resolve("a-file"), "x\n");
        HostileInputs.assertRefused(dir, file, "exists and is not a folder", "mlflow-log", "--tracking-uri", "",
                "--experiment", "e", "--run-name", "r", "--metrics-tsv", metrics.toString(), "--spool",
                file.toString());
        Path under = file.resolve("spool");
        HostileInputs.assertRefused(dir, under, "is a file, not a folder", "mlflow-log", "--tracking-uri", "",
                "--experiment", "e", "--run-name", "r", "--spool", under.toString());

        Path dataset = Files.createDirectories(dir.resolve("dataset"));
        Files.writeString(dataset.resolve("manifest.tsv"), "subject\tsplit\nsub-a\ttrain\n");
        Path inside = dataset.resolve("spool");
        HostileInputs.assertRefused(dir, inside, "lies inside the input folder", "mlflow-log", "--tracking-uri", "",
                "--dataset", dataset.toString(), "--run-name", "r", "--spool", inside.toString());
        assertFalse(Files.exists(inside));

        HostileInputs.assertRefused(dir, file, "is a file, not a spool folder", "mlflow-sync", "--tracking-uri",
                "http://127.0.0.1:9", "--spool", file.toString());
    }
}
