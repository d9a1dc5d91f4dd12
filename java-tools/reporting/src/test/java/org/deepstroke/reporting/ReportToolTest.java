package org.deepstroke.reporting;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.deepstroke.core.html.Html;
import org.deepstroke.core.testing.HostileInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * `deepstroke report` on a small results tree laid out as the stages publish (atlas cohort picture, ingest manifest
 * with one subject whose series were all rejected, a registration QC picture and table per subject, a failure
 * marker tagged with a series key, software_versions.yml).
 */
class ReportToolTest {

    @TempDir
    Path dir;

    static byte[] png(Path file, Color color) throws Exception {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 8, 6);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return Files.readAllBytes(file);
    }

    Path results() throws Exception {
        Path results = dir.resolve("results");
        png(results.resolve("atlas/atlas_qc.png"), Color.BLUE);
        Files.writeString(results.resolve("atlas/labels.tsv"), "id\tregion\n1\tC\n2\tL\n");
        Files.createDirectories(results.resolve("ingest/sub-aaaa/ses-1"));
        Files.writeString(results.resolve("ingest/manifest.tsv"), String.join("\n",
                "subject\tstudy\tseries\tdecision\treasons",
                "sub-aaaa\tses-1\tser-a1\taccepted\t",
                "sub-bbbb\tses-2\tser-b1\trejected\tlocalizer;too_few_slices=1",
                "sub-bbbb\tses-2\tser-b2\trejected\tkernel=bone",
                "sub-cccc\tses-3\tser-c1\taccepted\t",
                "n/a\tn/a\tser-x\trejected\tno_readable_instance", ""));
        Files.writeString(results.resolve("ingest/sub-aaaa/ses-1/ser-a1_overlay_counts.tsv"), "slice\tvoxels\n3\t12\n");
        png(results.resolve("registration/sub-aaaa/sub-aaaa_registration_qc.png"), Color.RED);
        Files.writeString(results.resolve("registration/sub-aaaa/sub-aaaa_label_dice.tsv"), "label\tdice\n1\t0.81\n");
        Files.createDirectories(results.resolve("pipeline_info/failed_tasks"));
        Files.writeString(results.resolve("pipeline_info/failed_tasks/INGEST_DICOM_TO_NIFTI__ser-c1.tsv"),
                "process\ttag\texit\tattempts\nINGEST:DICOM_TO_NIFTI\tser-c1\t1\t2\n");
        Files.writeString(results.resolve("pipeline_info/software_versions.yml"), String.join("\n",
                "\"ATLAS\":", "    deepstroke: \"0.1.0\"", "    java: \"17.0.15\"", "    ants: \"2.6.5\"",
                "    pixelmed: \"20220618\"", "\"INGEST:DICOM_TO_NIFTI\":", "    deepstroke: \"0.1.0\"",
                "    java: \"17.0.15\"", "    ants: \"2.6.5\"", "    pixelmed: \"20220618\"", ""));
        return results;
    }

    /**
     * Issue 16: the report goes into results/reports (where the pipeline publishes it, and which the inventory skips)
     * or outside the results folder, never into the results folder itself or a stage folder, and never over the
     * --versions file: exit 2, one line naming it, nothing written.
     */
    @Test
    void writesIntoResultsReportsButNeverAmongTheStagesOutputs() throws Exception {
        Path results = results();
        for (Path bad : List.of(results, results.resolve("ingest"), results.resolve("atlas/sub"))) {
            HostileInputs.assertRefused(dir, bad, "lies inside the input folder", "report", "--results",
                    results.toString(), "--output-dir", bad.toString());
        }
        Path versions = Files.copy(results.resolve("pipeline_info/software_versions.yml"), dir.resolve("summary.html"));
        HostileInputs.assertRefused(dir, versions, "would overwrite it", "report", "--results", results.toString(),
                "--versions", versions.toString(), "--output-dir", dir.toString());

        Result run = deepstroke("report", "--results", results.toString(), "--output-dir",
                results.resolve("reports").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.isRegularFile(results.resolve("reports/summary.html")));
        // and a rerun does not read its own pages as a stage
        Result again = deepstroke("report", "--results", results.toString(), "--output-dir",
                results.resolve("reports").toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals("[\"atlas\",\"ingest\",\"registration\"]", new ObjectMapper()
                .readTree(results.resolve("reports/report.json").toFile()).get("stages").toString());
    }

    @Test
    void summaryLinksSubjectPagesListsProblemsAndCitesTheSoftware() throws Exception {
        Path results = results();
        Path out = dir.resolve("reports");
        Result run = deepstroke("report", "--results", results.toString(), "--output-dir", out.toString(),
                "--nextflow-version", "24.10.0");
        assertEquals(0, run.exit(), run.err());

        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("[\"sub-aaaa\",\"sub-bbbb\",\"sub-cccc\"]", json.get("subjects").toString());
        assertEquals("[\"atlas\",\"ingest\",\"registration\"]", json.get("stages").toString());
        // the failure marker's series key is mapped to its subject through the manifest
        assertEquals(1, json.get("failed").size());
        assertEquals("sub-cccc", json.get("failed").get(0).get("subject").asText());
        assertEquals("INGEST:DICOM_TO_NIFTI", json.get("failed").get(0).get("process").asText());
        assertEquals("no usable NCCT series (2 series: localizer, too_few_slices, kernel)",
                json.get("skipped").get("sub-bbbb").asText());
        assertEquals("[\"subjects/sub-aaaa.html\"]", json.get("subject_pages").toString());

        String summary = Files.readString(out.resolve("summary.html"));
        assertTrue(summary.contains("<a href=\"subjects/sub-aaaa.html\">sub-aaaa</a>"), summary);
        assertTrue(summary.contains("<td>sub-cccc</td><td class=\"failed\">failed</td><td>INGEST:DICOM_TO_NIFTI</td>"
                + "<td>ser-c1</td><td>1</td><td>2</td>"), summary);
        assertTrue(summary.contains("<td>sub-bbbb</td><td>skipped</td>"), summary);
        assertTrue(summary.contains("Results were produced with DeepStroke 0.1.0, a Nextflow 24.10.0 [1] pipeline "
                + "whose tools run on Java 17.0.15."), summary);
        assertTrue(summary.contains("PixelMed toolkit 20220618 [2]"), summary);
        assertTrue(summary.contains("with ANTs 2.6.5 (SyN) [6, 7]"), summary);
        assertTrue(summary.contains("<li>" + Html.escape(MethodsText.NEXTFLOW) + "</li>"), summary);
        assertTrue(summary.contains("<li>" + Html.escape(MethodsText.RORDEN) + "</li>"), summary);
        assertFalse(summary.contains("Deeplearning4j"), "no training stage, no DL4J sentence");
        // cohort picture embedded, exact bytes
        byte[] atlasPng = Files.readAllBytes(results.resolve("atlas/atlas_qc.png"));
        assertTrue(summary.contains("data:image/png;base64," + Base64.getEncoder().encodeToString(atlasPng)));

        String page = Files.readString(out.resolve("subjects/sub-aaaa.html"));
        byte[] registrationPng = Files.readAllBytes(results.resolve("registration/sub-aaaa/sub-aaaa_registration_qc.png"));
        assertTrue(page.contains("data:image/png;base64," + Base64.getEncoder().encodeToString(registrationPng)));
        assertTrue(page.contains("<h2>registration</h2>") && page.contains("<h2>ingest</h2>"), page);
        assertTrue(page.contains("<td>1</td><td>0.81</td>"), page);
        assertFalse(page.contains("src=\"http"), "self-contained: nothing fetched");

        // deterministic: a second report over the same results is byte-identical
        Path again = dir.resolve("again");
        assertEquals(0, deepstroke("report", "--results", results.toString(), "--output-dir", again.toString(),
                "--nextflow-version", "24.10.0").exit());
        for (String f : List.of("summary.html", "report.json", "subjects/sub-aaaa.html")) {
            assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
    }

    @Test
    void laterStagesAddSentencesAndPages() throws Exception {
        Path results = results();
        png(results.resolve("aspects/sub-cccc/sub-cccc_aspects_qc.png"), Color.GREEN);
        Files.writeString(results.resolve("aspects/sub-cccc/sub-cccc_aspects.tsv"), "region\tischemic\nM1\tyes\n");
        Files.createDirectories(results.resolve("training"));
        Path out = dir.resolve("reports");
        assertEquals(0, deepstroke("report", "--results", results.toString(), "--output-dir", out.toString()).exit());
        String summary = Files.readString(out.resolve("summary.html"));
        assertTrue(summary.contains("trained and applied with Deeplearning4j"), summary);
        assertTrue(summary.contains("The ASPECTS score ["), summary);
        assertTrue(Files.readString(out.resolve("subjects/sub-cccc.html")).contains("<td>M1</td><td>yes</td>"));
    }

    @Test
    void lesionPathsGetTheirSectionWithBothEvaluations() throws Exception {
        Path results = results();
        Path lesion = results.resolve("aspects/lesion-oracle");
        Files.createDirectories(lesion);
        Files.writeString(lesion.resolve("lesion-oracle_metrics.tsv"), "metric\tvalue\nlesion.subjects\t3\n"
                + "lesion.score.exact_agreement\t0.6667\nlesion.region_ipsilateral.sensitivity\t0.8\n");
        Files.writeString(lesion.resolve("lesion-oracle_lesion_metrics.tsv"), "metric\tvalue\n"
                + "lesion_map.dice_mean\t1.0\nlesion_map.detection_specificity\t1.0\n");
        Path out = dir.resolve("reports");
        assertEquals(0, deepstroke("report", "--results", results.toString(), "--output-dir", out.toString()).exit());
        String summary = Files.readString(out.resolve("summary.html"));
        assertTrue(summary.contains("<h2>ASPECTS: lesion x regions</h2>"), summary);
        // path, subjects, exact, within (absent: NA), kappa NA, ICC NA, region sensitivity ...
        assertTrue(summary.contains("<tr><td>lesion-oracle</td><td>3</td><td>0.6667</td><td>NA</td><td>NA</td>"
                + "<td>NA</td><td>0.8</td><td>NA</td><td>1.0</td>"), summary);
        assertTrue(summary.contains("AISD (real NCCT) is a real-data anchor, not comparable"), summary);
        // a run without lesion paths has no such section
        Path plain = dir.resolve("reports-plain");
        Files.walk(lesion).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertEquals(0, deepstroke("report", "--results", results.toString(), "--output-dir", plain.toString()).exit());
        assertFalse(Files.readString(plain.resolve("summary.html")).contains("lesion x regions"));
    }

    @Test
    void subjectsWithFailedQcChecksAreNamed() throws Exception {
        Path results = results();
        Files.createDirectories(results.resolve("aspects"));
        Files.writeString(results.resolve("aspects/scores.tsv"), "path\tsubject\tside\tside_source\taspects"
                + "\taffected\tclassifier_side\tclassifier_aspects\tclassifier_affected\tqc\n"
                + "label-transfer\tsub-aaaa\tL\tdetected\t9\tM2\tNA\tNA\tNA\tcheck:registration_overlap,coverage_SG\n"
                + "label-transfer\tsub-bbbb\tR\tdetected\t10\t-\tNA\tNA\tNA\tok\n"
                + "lesion-oracle\tsub-bbbb\tR\tlesion\t10\t-\tNA\tNA\tNA\tNA\n");
        Path out = dir.resolve("reports-qc");
        assertEquals(0, deepstroke("report", "--results", results.toString(), "--output-dir", out.toString()).exit());
        String summary = Files.readString(out.resolve("summary.html"));
        assertTrue(summary.contains("<h2>QC flags</h2>"), summary);
        assertTrue(summary.contains("<tr><td>sub-aaaa</td><td>label-transfer</td><td>registration_overlap, coverage_SG"
                + "</td></tr>"), summary);
        assertFalse(summary.contains("<tr><td>sub-bbbb</td><td>label-transfer"), summary);
        // nothing flagged: no section
        Files.writeString(results.resolve("aspects/scores.tsv"), "path\tsubject\tqc\nunet\tsub-aaaa\tok\n");
        Path plain = dir.resolve("reports-qc-plain");
        assertEquals(0, deepstroke("report", "--results", results.toString(), "--output-dir", plain.toString()).exit());
        assertFalse(Files.readString(plain.resolve("summary.html")).contains("QC flags"));
    }

    @Test
    void missingResultsFolderIsOneLineAndExitOne() {
        Path missing = dir.resolve("nope");
        Result run = deepstroke("report", "--results", missing.toString(), "--output-dir", dir.resolve("o").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains(missing + ": not a results folder"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
