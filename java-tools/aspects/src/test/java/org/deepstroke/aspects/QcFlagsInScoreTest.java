package org.deepstroke.aspects;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 6: aspects-score runs the QC checks of aspects-scan in the cohort pipeline. A 12^3 phantom at 1 mm
 * with only the caudates labelled: the brain mask is 8^3 = 512 voxels = 0.512 ml (outside 700..2200 ml), the
 * registration's NCC 0.31 (below 0.5) with min Jacobian 0.42 (no folding), neither level covered.
 */
class QcFlagsInScoreTest {

    @TempDir
    Path dir;

    @Test
    void flagsGoToTheJsonAndTheScoreRow() throws Exception {
        ImageVolume ct = new ImageVolume(12, 12, 12, Affine.identity());
        ImageVolume mask = ct.blankLike();
        ImageVolume labels = ct.blankLike();
        java.util.Arrays.fill(ct.data(), -1000f);
        for (int z = 2; z < 10; z++) {
            for (int y = 2; y < 10; y++) {
                for (int x = 2; x < 10; x++) {
                    ct.set(x, y, z, 40f);
                    mask.set(x, y, z, 1f);
                    if (z >= 3 && z < 9 && y >= 3 && y < 9 && x >= 3 && x < 9) {
                        labels.set(x, y, z, x < 6 ? 1 : 11);
                    }
                }
            }
        }
        Path ctFile = dir.resolve("ct.nii.gz");
        Path maskFile = dir.resolve("mask.nii.gz");
        Path labelsFile = dir.resolve("labels.nii.gz");
        NiftiWriter.write(ct, ctFile, NiftiDatatype.INT16);
        NiftiWriter.write(mask, maskFile, NiftiDatatype.UINT8);
        NiftiWriter.write(labels, labelsFile, NiftiDatatype.UINT8);
        Path regQc = Files.writeString(dir.resolve("s_registration_qc.json"),
                "{\"ncc_brain\": 0.06, \"brain_overlap\": 0.91, \"min_jacobian\": 0.42, \"folded_fraction\": 0.0}");
        Result r = deepstroke("aspects-score", "--ct", ctFile.toString(), "--labels", labelsFile.toString(),
                "--subject", "s", "--side", "L", "--brain-mask", maskFile.toString(), "--registration-qc",
                regQc.toString(), "--output-dir", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.err());
        List<String> row = Files.readAllLines(dir.resolve("out/s_score.tsv"));
        assertTrue(row.get(0).endsWith("\tclassifier_affected\tqc"), row.get(0));
        assertTrue(row.get(1).endsWith("\tcheck:registration_overlap,intracranial_volume,coverage_BG,coverage_SG"),
                row.get(1));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/s_aspects.json").toFile());
        assertEquals(false, json.get("qc_ok").asBoolean());
        JsonNode flags = json.get("qc_flags");
        assertEquals("registration_overlap", flags.get(0).get("code").asText());
        assertEquals(0.91, flags.get(0).get("value").asDouble(), 1e-9);
        assertEquals("check", flags.get(0).get("status").asText());
        assertEquals("registration_folding", flags.get(1).get("code").asText());
        assertEquals("ok", flags.get(1).get("status").asText());
        assertEquals("intracranial_volume", flags.get(2).get("code").asText());
        assertEquals(0.512, flags.get(2).get("value").asDouble(), 1e-9);
        assertEquals("region_volume_left_right", flags.get(3).get("code").asText());
        assertEquals("ok", flags.get(3).get("status").asText()); // caudates 3x6x6 voxels each side: ratio 1
    }

    @Test
    void aRegistrationQcWithoutTheNumbersFailsNamingIt() throws Exception {
        ImageVolume ct = new ImageVolume(4, 4, 4, Affine.identity());
        Path ctFile = dir.resolve("ct.nii.gz");
        NiftiWriter.write(ct, ctFile, NiftiDatatype.INT16);
        Path regQc = Files.writeString(dir.resolve("bad_qc.json"), "{\"ncc\": 0.9}");
        Result r = deepstroke("aspects-score", "--ct", ctFile.toString(), "--labels", ctFile.toString(),
                "--registration-qc", regQc.toString(), "--output-dir", dir.resolve("out").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(regQc + ": no numeric brain_overlap and min_jacobian"), r.err());
    }
}
