package org.deepstroke.registration.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.evaluation.SegmentationMetrics;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.tools.ApplyTransformsTool;
import org.deepstroke.registration.tools.BackProjectTool;
import org.deepstroke.registration.tools.RegisterTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * register / apply-transforms / back-project with real ANTs on a 2 mm pair: the CT template (fixed) and the same
 * template moved by a known affine (rotation 6 deg about z and 3 deg about x, scale 1.03, shift 5/-4/3 mm) as
 * the moving image, with the template's tissue classes (seg_2mm: 1..3) moved alike as the moving truth.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegisterToolsTest {

    @TempDir
    static Path dir;
    static Path template;
    static Path tissue;
    static Path moving;
    static Path movingTissue;
    static String prefix;

    @BeforeAll
    static void movedPair() throws Exception {
        template = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        tissue = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/seg_2mm.nii.gz");
        double cz = Math.cos(Math.toRadians(6));
        double sz = Math.sin(Math.toRadians(6));
        double cx = Math.cos(Math.toRadians(3));
        double sx = Math.sin(Math.toRadians(3));
        // R = 1.03 * Rz * Rx (ITK/LPS physical space, about the template's physical centre 127,-127,127)
        double[][] rz = {{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}};
        double[][] rx = {{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}};
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += rz[i][k] * rx[k][j];
                }
                params.append(1.03 * v).append(' ');
            }
        }
        params.append("5 -4 3");
        Path known = dir.resolve("known.txt");
        Files.writeString(known, "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
                + "Parameters: " + params + "\nFixedParameters: 127 -127 127\n", StandardCharsets.UTF_8);
        moving = dir.resolve("moving.nii.gz");
        movingTissue = dir.resolve("moving_tissue.nii.gz");
        AntsApply apply = new AntsApply(Ants.locate(), 2);
        apply.apply(template, template, moving, AntsApply.Interpolation.LINEAR, List.of(known.toString()), null);
        apply.apply(tissue, template, movingTissue, AntsApply.Interpolation.LABEL, List.of(known.toString()), "uchar");
        prefix = dir.resolve("out/pair_").toString();
    }

    static int run(StringWriter err, String... args) {
        List<Tool> tools = List.of(new RegisterTool(), new ApplyTransformsTool(), new BackProjectTool());
        return new Launcher(tools, new PrintWriter(new StringWriter()), new PrintWriter(err, true)).run(args);
    }

    static double meanDice(Path a, Path b) {
        ImageVolume x = NiftiReader.read(a);
        ImageVolume y = NiftiReader.read(b);
        double sum = 0;
        for (int label = 1; label <= 3; label++) {
            sum += SegmentationMetrics.dice(x, y, label);
        }
        return sum / 3;
    }

    @Test
    @Order(1)
    void registerRecoversTheKnownTransform() throws Exception {
        StringWriter err = new StringWriter();
        int code = run(err, "register", "--moving", moving.toString(), "--fixed", template.toString(),
                "--output-prefix", prefix, "--preset", "quick", "--threads", "2", "--seed", "1");
        assertEquals(0, code, err.toString());
        for (String suffix : List.of("0GenericAffine.mat", "1Warp.nii.gz", "1InverseWarp.nii.gz", "warped.nii.gz",
                "registration.log", "registration_qc.json", "registration_qc.png")) {
            assertTrue(Files.size(Path.of(prefix + suffix)) > 0, suffix);
        }
        JsonNode qc = new ObjectMapper().readTree(Path.of(prefix + "registration_qc.json").toFile());
        assertEquals("quick", qc.get("preset").asText());
        assertEquals("0", qc.get("parameters").get("working_smoothing").asText(), "no anti-aliasing by default");
        assertEquals("20", qc.get("parameters").get("fixed_crop_margin_mm").asText());
        assertTrue(qc.get("min_jacobian").asDouble() > 0, "no folding: " + qc);
        assertTrue(qc.get("ncc_brain").asDouble() > 0.9, "warped CT matches the template: " + qc);
        assertTrue(qc.get("brain_overlap").asDouble() > 0.95, "warped brain covers the template's: " + qc);
        assertTrue(Files.readString(Path.of(prefix + "registration.log")).contains("SyN"));

        // the moving tissue classes carried onto the template grid match the template's own
        Path onFixed = dir.resolve("tissue_on_fixed.nii.gz");
        code = run(err, "apply-transforms", "--input", movingTissue.toString(), "--reference", template.toString(),
                "--output", onFixed.toString(), "--interpolation", "label",
                "--transform", prefix + "1Warp.nii.gz", "--transform", prefix + "0GenericAffine.mat");
        assertEquals(0, code, err.toString());
        double before = meanDice(movingTissue, tissue);
        double after = meanDice(onFixed, tissue);
        assertTrue(after > 0.8 && after > before + 0.2, "tissue Dice before " + before + ", after " + after);
    }

    @Test
    @Order(2)
    void backProjectionRoundTripStaysInsideTheMask() throws Exception {
        // the template's classes onto the moving grid through the inverse mapping, restricted to the moving brain
        Path mask = dir.resolve("moving_brain.nii.gz");
        new AntsApply(Ants.locate(), 1).apply(movingTissue, movingTissue, mask, AntsApply.Interpolation.LABEL,
                List.of("identity"), "uchar");
        ImageVolume m = NiftiReader.read(mask);
        float[] binary = m.data().clone();
        for (int i = 0; i < binary.length; i++) {
            binary[i] = binary[i] > 0 ? 1 : 0;
        }
        org.deepstroke.core.image.NiftiWriter.write(m.withData(binary), mask,
                org.deepstroke.core.image.NiftiDatatype.UINT8);
        Path back = dir.resolve("tissue_on_moving.nii.gz");
        StringWriter err = new StringWriter();
        int code = run(err, "back-project", "--labels", tissue.toString(), "--reference", moving.toString(),
                "--output", back.toString(), "--mask", mask.toString(),
                "--transform", "[" + prefix + "0GenericAffine.mat,1]", "--transform", prefix + "1InverseWarp.nii.gz",
                "--stats", dir.resolve("back.json").toString());
        assertEquals(0, code, err.toString());
        double dice = meanDice(back, movingTissue);
        assertTrue(dice > 0.8, "round trip Dice " + dice);
        ImageVolume labels = NiftiReader.read(back);
        long outside = 0;
        for (int i = 0; i < labels.size(); i++) {
            outside += labels.data()[i] != 0 && binary[i] == 0 ? 1 : 0;
        }
        assertEquals(0, outside, "labels outside the native brain mask");
        assertTrue(Files.readString(dir.resolve("back.json")).contains("\"labels_present\" : 3"));
    }

    @Test
    @Order(3)
    void antsFailureIsOneLineWithTheCommandAndTheLogTail() throws Exception {
        Path bad = dir.resolve("bad.nii.gz");
        Files.write(bad, new byte[] {1, 2, 3, 4});
        String failPrefix = dir.resolve("fail/x_").toString();
        StringWriter err = new StringWriter();
        int code = run(err, "register", "--moving", bad.toString(), "--fixed", template.toString(),
                "--output-prefix", failPrefix, "--preset", "quick", "--working-spacing-mm", "0", "--threads", "1");
        assertEquals(1, code, err.toString());
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("antsRegistration failed (exit"), message);
        assertTrue(message.contains("--transform SyN[0.1,3,0] --metric CC["), "command line: " + message);
        List<String> log = new ArrayList<>(Files.readAllLines(Path.of(failPrefix + "registration.log")).stream()
                .filter(l -> !l.isBlank()).map(String::strip).toList());
        assertTrue(message.contains("last lines: ") && message.contains(log.get(log.size() - 1)),
                "log tail in: " + message);
    }

    @Test
    @Order(4)
    void timeoutStopsAntsAndSaysSo() {
        StringWriter err = new StringWriter();
        int code = run(err, "register", "--moving", moving.toString(), "--fixed", template.toString(),
                "--output-prefix", dir.resolve("slow/x_").toString(), "--preset", "aggressive",
                "--working-spacing-mm", "0", "--threads", "1", "--timeout-s", "2");
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("antsRegistration timed out after 2 s; command: "), err.toString());
    }

    @Test
    @Order(5)
    void badOverrideIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = run(err, "register", "--moving", moving.toString(), "--fixed", template.toString(),
                "--output-prefix", dir.resolve("u/x_").toString(), "--syn-iterations", "100x70",
                "--preset", "fast");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("must list the same number of levels"), err.toString());

        StringWriter flag = new StringWriter();
        code = run(flag, "register", "--moving", moving.toString(), "--fixed", template.toString(),
                "--output-prefix", dir.resolve("u/x_").toString(), "--working-smoothing", "2");
        assertEquals(2, code, flag.toString());
        assertTrue(flag.toString().contains("bad value '2' for working_smoothing (flag"), flag.toString());
    }
}
