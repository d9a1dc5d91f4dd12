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

class EvaluateLabelsToolTest {

    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        return new Launcher(List.<Tool>of(new EvaluateLabelsTool()), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true)).run(args);
    }

    @Test
    void twoSubjectsFromAPairsTableWithNamesFromLabelsTsv() throws Exception {
        ImageVolume p = new ImageVolume(6, 1, 1, Affine.diagonal(1, 1, 1));
        ImageVolume r = p.blankLike();
        for (int x = 0; x <= 2; x++) {
            p.set(x, 0, 0, 1);
        }
        for (int x = 1; x <= 3; x++) {
            r.set(x, 0, 0, 1);
        }
        p.set(5, 0, 0, 2);
        r.set(5, 0, 0, 2);
        NiftiWriter.write(p, dir.resolve("a_pred.nii.gz"), NiftiDatatype.UINT8);
        NiftiWriter.write(r, dir.resolve("a_ref.nii.gz"), NiftiDatatype.UINT8);
        NiftiWriter.write(r, dir.resolve("b_pred.nii.gz"), NiftiDatatype.UINT8);
        Files.writeString(dir.resolve("pairs.tsv"), "subject\tpredicted\treference\n"
                + "sub-a\ta_pred.nii.gz\ta_ref.nii.gz\nsub-b\tb_pred.nii.gz\ta_ref.nii.gz\n");
        Files.writeString(dir.resolve("labels.tsv"), "id\tregion\themisphere\tlevel\tname\n"
                + "1\tC\tL\tBG\tcaudate\n2\tL\tL\tBG\tlentiform nucleus\n");
        StringWriter err = new StringWriter();
        int code = run(err, "evaluate-labels", "--pairs", dir.resolve("pairs.tsv").toString(),
                "--labels-tsv", dir.resolve("labels.tsv").toString(),
                "--output-tsv", dir.resolve("out.tsv").toString(), "--output-json", dir.resolve("out.json").toString(),
                "--output-png", dir.resolve("out_qc.png").toString());
        assertEquals(0, code, err.toString());
        List<String> rows = Files.readAllLines(dir.resolve("out.tsv"));
        assertEquals(List.of("subject\tlabel\tname\tdice\thd95_mm\tpredicted_ml\treference_ml\tdifference_ml",
                // P->R surface distances 1,0,0; R->P 0,0,1 -> sorted 0,0,0,0,1,1: pos 4.75 -> 1
                "sub-a\t1\tC_L\t0.6667\t1.0000\t0.0030\t0.0030\t0.0000",
                "sub-a\t2\tL_L\t1.0000\t0.0000\t0.0010\t0.0010\t0.0000",
                "sub-b\t1\tC_L\t1.0000\t0.0000\t0.0030\t0.0030\t0.0000",
                "sub-b\t2\tL_L\t1.0000\t0.0000\t0.0010\t0.0010\t0.0000"), rows);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out.json").toFile());
        // per label means: C_L (0.6667 + 1) / 2 = 0.8333, L_L 1 -> mean 0.9167, lowest C_L
        assertEquals(0.8333, json.get("per_label").get("C_L").get("mean_dice").asDouble(), 1e-4);
        assertEquals(0.6667, json.get("per_label").get("C_L").get("min_dice").asDouble(), 1e-4);
        assertEquals(0.9167, json.get("mean_dice").asDouble(), 1e-4);
        assertEquals("C_L", json.get("worst_label").asText());
        assertTrue(json.get("bars_met").asBoolean());
        assertEquals(0.8333, json.get("per_subject").get("sub-a").get("mean_dice").asDouble(), 1e-4);
        assertTrue(Files.size(dir.resolve("out_qc.png")) > 1000);
    }

    @Test
    void missingReferenceIsOneLineNamingTheFile() throws Exception {
        ImageVolume p = new ImageVolume(2, 2, 2, Affine.diagonal(1, 1, 1));
        NiftiWriter.write(p, dir.resolve("p.nii.gz"), NiftiDatatype.UINT8);
        StringWriter err = new StringWriter();
        int code = run(err, "evaluate-labels", "--predicted", dir.resolve("p.nii.gz").toString(),
                "--reference", dir.resolve("nope.nii.gz").toString(), "--output-tsv", dir.resolve("o.tsv").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("nope.nii.gz") && err.toString().contains("no such file"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }
}
