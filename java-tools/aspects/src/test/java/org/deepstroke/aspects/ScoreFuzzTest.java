package org.deepstroke.aspects;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
 * Issue 16, fuzz: aspects-score with a broken CT and with a broken label map (uncompressed NIfTI: truncations at
 * 30 offsets, 40 header bit flips, 20 random runs in the 348-byte header). Each either scores (a header byte nothing
 * uses) or is refused with exit 1/2 and one line naming the broken file, no stack trace, no output left in the output
 * folder, the inputs unchanged. Every truncation must be refused.
 */
class ScoreFuzzTest {

    @TempDir
    static Path dir;
    static Path ct;
    static Path labels;

    @BeforeAll
    static void prepare() throws Exception {
        ImageVolume c = new ImageVolume(12, 12, 12, Affine.identity());
        ImageVolume l = new ImageVolume(12, 12, 12, Affine.identity());
        java.util.Arrays.fill(c.data(), -1000f);
        for (int z = 2; z < 10; z++) {
            for (int y = 2; y < 10; y++) {
                for (int x = 2; x < 10; x++) {
                    c.set(x, y, z, 30f + (x * 7 + y * 3 + z) % 11);
                    l.set(x, y, z, z < 6 ? (x < 6 ? 1 : 11) : (x < 6 ? 8 : 18));
                }
            }
        }
        ct = dir.resolve("ct.nii");
        labels = dir.resolve("labels.nii");
        NiftiWriter.write(c, ct, NiftiDatatype.INT16);
        NiftiWriter.write(l, labels, NiftiDatatype.UINT8);
    }

    static List<Case> corpus(Path valid) throws Exception {
        return HostileInputs.headerCorpus(Files.readAllBytes(valid), 348, 30, 40, 20, 31);
    }

    static Run score(Path ctFile, Path labelFile, Path out) {
        return new Run(deepstroke("aspects-score", "--ct", ctFile.toString(), "--labels", labelFile.toString(),
                "--subject", "s", "--output-dir", out.toString()), outputs(out));
    }

    /** The files a run may write (the contract: none of them after a failure). */
    static List<Path> outputs(Path out) {
        return Stream.of("_aspects.tsv", "_aspects.json", "_descriptors.tsv", "_score.tsv", "_aspects_qc.png")
                .map(s -> out.resolve("s" + s)).toList();
    }

    @Test
    void theUnbrokenPairScores() {
        Path out = dir.resolve("out-valid");
        assertEquals(0, score(ct, labels, out).result().exit());
        assertTrue(Files.exists(out.resolve("s_aspects.tsv")));
    }

    @Test
    void aBrokenCtFailsCleanly() throws Exception {
        Outcome o = HostileInputs.fuzz(corpus(ct), dir.resolve("fuzz-ct"), ".nii", true,
                in -> score(in, labels, dir.resolve("out-ct")));
        assertTrue(o.refused() >= 31, o.toString()); // at least the empty file and the 30 truncations
    }

    @Test
    void aBrokenLabelMapFailsCleanly() throws Exception {
        Outcome o = HostileInputs.fuzz(corpus(labels), dir.resolve("fuzz-labels"), ".nii", true,
                in -> score(ct, in, dir.resolve("out-labels")));
        assertTrue(o.refused() >= 31, o.toString());
    }
}
