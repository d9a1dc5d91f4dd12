package org.deepstroke.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.deepstroke.aspects.tools.AspectsCalibrateTool;
import org.deepstroke.aspects.tools.AspectsEvaluateTool;
import org.deepstroke.aspects.tools.AspectsFitTool;
import org.deepstroke.aspects.tools.AspectsScoreTool;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.ingest.tools.DicomToNiftiTool;
import org.deepstroke.ingest.tools.DicomdirScanTool;
import org.deepstroke.phantom.StandInAtlas;
import org.deepstroke.phantom.tools.PhantomTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle path end to end through the real tools: a small seeded synthetic cohort (phantom: DICOMDIR file-set +
 * truth), ingested (dicomdir-scan, dicom-to-nifti), scored on the truth labels with the shipped cut-points, evaluated
 * against the truth: the region-level bars of issue 7 must hold. Then calibration and the classifier run on it.
 */
class AspectsEndToEndTest {

    static final int SUBJECTS = 8;
    static final long SEED = 5;

    @TempDir
    static Path work;
    static Path cohort;
    static Path scores;
    static final ObjectMapper JSON = new ObjectMapper();

    static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<Tool> tools = List.of(new PhantomTool(), new DicomdirScanTool(), new DicomToNiftiTool(),
                new AspectsScoreTool(), new AspectsCalibrateTool(), new AspectsFitTool(), new AspectsEvaluateTool());
        int code = new Launcher(tools, new PrintWriter(out, true), new PrintWriter(err, true)).run(args);
        assertEquals(0, code, "deepstroke " + String.join(" ", args) + "\nstdout: " + out + "\nstderr: " + err);
        return out.toString();
    }

    /** Generates, ingests and scores the cohort once: {subject, ct, labels} rows. */
    @BeforeAll
    static void cohortScoredOnTruthLabels() throws Exception {
        Path template = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        Path withSkull = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_with_skull_2mm.nii.gz");
        Path labels = StandInAtlas.write(template, work.resolve("standin_labels.nii.gz"));
        Path key = Files.writeString(work.resolve("key"), "aspects-test-key-0123456789abcdef\n");
        cohort = work.resolve("cohort");
        run("phantom", "--template-with-skull", withSkull.toString(), "--template", template.toString(), "--labels",
                labels.toString(), "--subjects", Integer.toString(SUBJECTS), "--seed", Long.toString(SEED),
                "--matrix", "128", "--overlay-share", "0", "--tilt-share", "0.25", "--normal-share", "0.25",
                "--thin-coverage", "slab", "--threads", "2", "--pseudonym-key-file", key.toString(), "--output-dir",
                cohort.toString());
        Path scan = work.resolve("scan");
        run("dicomdir-scan", "--input", cohort.resolve("dicom").toString(), "--output", scan.toString(),
                "--pseudonym-key-file", key.toString());
        scores = work.resolve("aspects/truth");
        List<String> manifest = Files.readAllLines(scan.resolve("manifest.tsv"));
        int scored = 0;
        StringBuilder cases = new StringBuilder("subject\tct\tlabels\n");
        for (String line : manifest.subList(1, manifest.size())) {
            String[] c = line.split("\t", -1);
            if (!c[3].equals("accepted")) {
                continue;
            }
            Path ct = work.resolve("ct").resolve(c[0] + ".nii.gz");
            run("dicom-to-nifti", "--files", scan.resolve("series").resolve(c[2] + ".files").toString(), "--root",
                    cohort.resolve("dicom").toString(), "--output", ct.toString());
            // relative paths resolve against the table's folder
            cases.append(c[0]).append("\tct/").append(c[0]).append(".nii.gz\t")
                    .append(cohort.resolve("truth").resolve(c[0]).resolve("labels.nii.gz")).append('\n');
            scored++;
        }
        // one run for the cohort: one folder per subject
        run("aspects-score", "--cases", Files.writeString(work.resolve("cases.tsv"), cases).toString(),
                "--output-dir", scores.toString());
        assertEquals(SUBJECTS, scored, "one accepted NCCT per subject");
    }

    @Test
    void oraclePathMeetsTheRegionLevelBars() throws Exception {
        Path report = work.resolve("report");
        run("aspects-evaluate", "--scores", scores.toString(), "--truth",
                cohort.resolve("truth/cohort.tsv").toString(), "--path", "truth", "--output-dir", report.toString());
        JsonNode e = JSON.readTree(report.resolve("truth_evaluation.json").toFile());
        JsonNode m = e.at("/methods/cutpoint");
        assertEquals(SUBJECTS, m.get("subjects").asInt());
        double sens = m.at("/region_ipsilateral/sensitivity").asDouble();
        double spec = m.at("/region_ipsilateral/specificity").asDouble();
        assertTrue(sens >= 0.8, "oracle region sensitivity " + sens + " < 0.8: " + m);
        assertTrue(spec >= 0.9, "oracle region specificity " + spec + " < 0.9: " + m);
        assertTrue(m.at("/score/within_one").asDouble() >= 0.75, m.toString());
        // the report's pieces: HTML with the published context and the caveat, the picture, the long TSV
        String html = Files.readString(report.resolve("truth_evaluation.html"));
        assertTrue(html.contains("e-ASPECTS") && html.contains("Synthetic lesions are easier than clinical ones"));
        BufferedImage png = ImageIO.read(report.resolve("truth_evaluation_qc.png").toFile());
        assertEquals(2 * 420, png.getWidth());
        List<String> tsv = Files.readAllLines(report.resolve("truth_evaluation.tsv"));
        assertTrue(tsv.contains("truth\tcutpoint\tregion_ipsilateral.sensitivity\t" + m.at(
                "/region_ipsilateral/sensitivity").asText()), tsv.toString());
    }

    @Test
    void everySubjectHasItsOutputsWithTheTruthsRegionIds() throws Exception {
        List<Path> jsons = ScoreFiles.find(List.of(scores));
        assertEquals(SUBJECTS, jsons.size());
        for (Path j : jsons) {
            String subject = j.getFileName().toString().replace("_aspects.json", "");
            Path dir = j.getParent();
            for (String suffix : List.of("_aspects.tsv", "_descriptors.tsv", "_score.tsv", "_aspects_qc.png")) {
                assertTrue(Files.size(dir.resolve(subject + suffix)) > 0, subject + suffix);
            }
            JsonNode root = JSON.readTree(j.toFile());
            // every one of the 20 regions was found on the CT grid (tilted subjects through resampling)
            assertEquals(0, root.get("unmeasured_regions").size(), root.toString());
            assertEquals(20, Files.readAllLines(dir.resolve(subject + "_aspects.tsv")).size() - 1);
        }
    }

    @Test
    void calibrationAndClassifierRunOnTheCohort() throws Exception {
        Path cut = work.resolve("calibrated.yaml");
        run("aspects-calibrate", "--scores", scores.toString(), "--truth",
                cohort.resolve("truth/cohort.tsv").toString(), "--output", cut.toString());
        CutPoints c = CutPoints.read(cut);
        assertEquals(org.deepstroke.aspects.tools.DefaultCutPoints.load().window(), c.window()); // measured in it
        assertTrue(Files.readAllLines(work.resolve("calibrated.tsv")).size() == 11);
        Path fit = work.resolve("fit");
        run("aspects-fit", "--scores", scores.toString(), "--truth", cohort.resolve("truth/cohort.tsv").toString(),
                "--output-dir", fit.toString(), "--folds", "4", "--trees", "25", "--seed", "3");
        JsonNode f = JSON.readTree(fit.resolve("fit.json").toFile());
        List<String> methods = new ArrayList<>();
        f.get("cross_validation").fieldNames().forEachRemaining(methods::add);
        assertEquals(List.of("classifier", "cutpoint_calibrated", "cutpoint_fixed"), methods);
        assertEquals(SUBJECTS * 3, Files.readAllLines(fit.resolve("cv_predictions.tsv")).size() - 1);
        // the model plugs into aspects-score
        Path one = ScoreFiles.find(List.of(scores)).get(0);
        String subject = one.getFileName().toString().replace("_aspects.json", "");
        Path out = work.resolve("with-model");
        run("aspects-score", "--ct", work.resolve("ct").resolve(subject + ".nii.gz").toString(), "--labels",
                cohort.resolve("truth").resolve(subject).resolve("labels.nii.gz").toString(), "--subject", subject,
                "--model", fit.resolve("ischemia_model.tribuo").toString(), "--output-dir", out.toString());
        JsonNode j = JSON.readTree(out.resolve(subject + "_aspects.json").toFile());
        assertEquals(10, j.at("/classifier/probabilities").size());
        assertTrue(j.at("/classifier/score").asInt() >= 0 && j.at("/classifier/score").asInt() <= 10);
    }
}
