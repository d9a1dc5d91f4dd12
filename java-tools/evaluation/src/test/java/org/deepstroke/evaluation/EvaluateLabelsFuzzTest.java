package org.deepstroke.evaluation;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.HostileInputs;
import org.deepstroke.core.testing.HostileInputs.Case;
import org.deepstroke.core.testing.HostileInputs.Outcome;
import org.deepstroke.core.testing.HostileInputs.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, fuzz: evaluate-labels with a broken prediction and with a broken reference (uncompressed NIfTI:
 * truncations at 30 offsets, 40 header bit flips, 20 random runs in the 348-byte header). Each either scores or is
 * refused with exit 1/2 and one line naming the broken file, no stack trace, none of its three outputs left behind,
 * the inputs unchanged. Every truncation must be refused.
 */
class EvaluateLabelsFuzzTest {

    @TempDir
    static Path dir;
    static Path predicted;
    static Path reference;

    @BeforeAll
    static void prepare() throws Exception {
        ImageVolume p = new ImageVolume(10, 10, 8, Affine.diagonal(1, 1, 2));
        ImageVolume r = p.blankLike();
        for (int z = 1; z < 7; z++) {
            for (int y = 2; y < 8; y++) {
                for (int x = 2; x < 8; x++) {
                    p.set(x, y, z, x < 5 ? 1 : 11);
                    r.set(x, y, z, x < 6 ? 1 : 11);
                }
            }
        }
        predicted = dir.resolve("pred.nii");
        reference = dir.resolve("ref.nii");
        NiftiWriter.write(p, predicted, NiftiDatatype.UINT8);
        NiftiWriter.write(r, reference, NiftiDatatype.UINT8);
    }

    static List<Case> corpus(Path valid) throws Exception {
        return HostileInputs.headerCorpus(Files.readAllBytes(valid), 348, 30, 40, 20, 41);
    }

    static Run evaluate(Path pred, Path ref, Path out) {
        List<Path> outputs = List.of(out.resolve("dice.tsv"), out.resolve("dice.json"), out.resolve("dice_qc.png"));
        return new Run(deepstroke("evaluate-labels", "--predicted", pred.toString(), "--reference", ref.toString(),
                "--subject", "s", "--output-tsv", outputs.get(0).toString(), "--output-json", outputs.get(1).toString(),
                "--output-png", outputs.get(2).toString()), outputs);
    }

    @Test
    void theUnbrokenPairScores() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out-valid"));
        assertEquals(0, evaluate(predicted, reference, out).result().exit());
        // label 1: 3 predicted columns in 4 reference ones, 2*3/7; label 11: 2 of 3 and 2, 2*2/5
        List<String> rows = Files.readAllLines(out.resolve("dice.tsv"));
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("s\t1\t") && r.contains("\t0.8571\t")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("s\t11\t") && r.contains("\t0.8000\t")), rows.toString());
    }

    @Test
    void aBrokenPredictionFailsCleanly() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out-pred"));
        Outcome o = HostileInputs.fuzz(corpus(predicted), dir.resolve("fuzz-pred"), ".nii", true,
                in -> evaluate(in, reference, out));
        assertTrue(o.refused() >= 31, o.toString()); // at least the empty file and the 30 truncations
    }

    @Test
    void aBrokenReferenceFailsCleanly() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out-ref"));
        Outcome o = HostileInputs.fuzz(corpus(reference), dir.resolve("fuzz-ref"), ".nii", true,
                in -> evaluate(predicted, in, out));
        assertTrue(o.refused() >= 31, o.toString());
    }
}
