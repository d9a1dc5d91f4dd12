package org.deepstroke.aspects;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.testing.HostileInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 for the cohort-level ASPECTS tools (aspects-evaluate, aspects-calibrate, aspects-fit): an output that
 * would replace the truth table or land in the scores folder is refused before anything is read or written: exit 2,
 * one line naming it, the folder unchanged. The guard runs first, so the inputs need not parse.
 */
class CohortToolsContractTest {

    @TempDir
    Path dir;

    private void assertRefused(Path named, String reason, String... args) throws Exception {
        HostileInputs.assertRefused(dir, named, reason, args);
    }

    @Test
    void outputsNeverReplaceTheTruthNorLandInTheScores() throws Exception {
        Path scores = Files.createDirectories(dir.resolve("scores"));
        Files.writeString(scores.resolve("s_aspects.json"), "{}");
        Path truth = Files.writeString(dir.resolve("p_subjects.tsv"), "not read\n");
        assertRefused(truth, "would overwrite it", "aspects-evaluate", "--scores", scores.toString(), "--truth",
                truth.toString(), "--path", "p", "--output-dir", dir.toString());
        Path inside = scores.resolve("out");
        assertRefused(inside, "lies inside the input folder", "aspects-evaluate", "--scores", scores.toString(),
                "--truth", truth.toString(), "--path", "p", "--output-dir", inside.toString());
        assertRefused(truth, "would overwrite it", "aspects-calibrate", "--scores", scores.toString(), "--truth",
                truth.toString(), "--output", dir.resolve("cut.yaml").toString(), "--table", truth.toString());
        Path cut = Files.writeString(dir.resolve("cut.yaml"), "not read\n");
        assertRefused(cut, "would overwrite it", "aspects-calibrate", "--scores", scores.toString(), "--truth",
                truth.toString(), "--base", cut.toString(), "--output", cut.toString());
        Path fit = Files.writeString(dir.resolve("fit.json"), "{}");
        assertRefused(fit, "would overwrite it", "aspects-fit", "--scores", scores.toString(), "--truth",
                fit.toString(), "--output-dir", dir.toString());
    }
}
