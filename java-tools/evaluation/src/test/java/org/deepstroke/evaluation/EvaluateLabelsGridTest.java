package org.deepstroke.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.evaluation.tools.EvaluateLabelsTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 8: a coarse prediction is scored on the reference's grid (on its own grid it looked better), the
 * summary says which grid; and --output-tsv may not be the prediction (it was overwritten, exit 0).
 */
class EvaluateLabelsGridTest {

    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        return new Launcher(List.<Tool>of(new EvaluateLabelsTool()), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true)).run(args);
    }

    @Test
    void aCoarsePredictionIsScoredOnTheReferenceGrid() throws Exception {
        // reference: 1 mm voxels, label 1 at x = 0, 1, 2; prediction: 2 mm voxels, label 1 at its voxel 0 (x = 0)
        ImageVolume ref = new ImageVolume(8, 1, 1, Affine.diagonal(1, 1, 1));
        for (int x = 0; x <= 2; x++) {
            ref.set(x, 0, 0, 1);
        }
        ImageVolume pred = new ImageVolume(4, 1, 1, Affine.diagonal(2, 1, 1));
        pred.set(0, 0, 0, 1);
        NiftiWriter.write(ref, dir.resolve("ref.nii.gz"), NiftiDatatype.UINT8);
        NiftiWriter.write(pred, dir.resolve("pred.nii.gz"), NiftiDatatype.UINT8);
        StringWriter err = new StringWriter();
        int code = run(err, "evaluate-labels", "--predicted", dir.resolve("pred.nii.gz").toString(), "--reference",
                dir.resolve("ref.nii.gz").toString(), "--subject", "s", "--output-tsv",
                dir.resolve("out.tsv").toString(), "--output-json", dir.resolve("out.json").toString());
        assertEquals(0, code, err.toString());
        // on the reference grid the prediction covers x = 0 only: Dice 2*1/(1+3) = 0.5 (its own grid gave 0.667)
        String row = Files.readAllLines(dir.resolve("out.tsv")).get(1);
        assertTrue(row.startsWith("s\t1\t1\t0.5000\t"), row);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out.json").toFile());
        assertEquals("reference", json.get("grid").asText());
        assertEquals(1, json.get("resampled_predictions").asInt());
    }

    @Test
    void theOutputTableMayNotBeThePrediction() throws Exception {
        ImageVolume v = new ImageVolume(2, 2, 2, Affine.diagonal(1, 1, 1));
        NiftiWriter.write(v, dir.resolve("p.nii.gz"), NiftiDatatype.UINT8);
        byte[] before = Files.readAllBytes(dir.resolve("p.nii.gz"));
        StringWriter err = new StringWriter();
        int code = run(err, "evaluate-labels", "--predicted", dir.resolve("p.nii.gz").toString(), "--reference",
                dir.resolve("p.nii.gz").toString(), "--output-tsv", dir.resolve("p.nii.gz").toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains(dir.resolve("p.nii.gz") + ": is the input"), err.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("p.nii.gz"))));
    }
}
