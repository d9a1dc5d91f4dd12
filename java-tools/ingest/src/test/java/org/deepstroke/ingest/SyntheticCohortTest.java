package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.ingest.dicom.DicomImage;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.dicom.InstanceHeader;
import org.deepstroke.ingest.scan.SeriesFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * The same checks on a synthetic cohort (deepstroke phantom): one accepted NCCT per subject, untilted ones equal to
 * dcm2niix voxel for voxel, tilted ones sampling back to their DICOM pixels and compared with dcm2niix's _Tilt
 * (PhilipsConversionTest#tiltedSeriesAgainstDcm2niixTilt says how), and every overlay point the generator
 * wrote recovered in the mask at its world position (own grid, or the CT's grid for derived overlay copies).
 */
class SyntheticCohortTest {

    @TempDir
    static Path dir;
    static Path cohort;
    static Path scan;
    static List<Map<String, String>> rows;

    @BeforeAll
    static void generateAndScan() throws Exception {
        Path key = IngestTesting.keyFile(dir);
        cohort = SyntheticCohort.generate(dir, key, 4);
        scan = dir.resolve("scan");
        IngestTesting.scan(scan, key, "--input", cohort.resolve("dicom").toString());
        rows = IngestTesting.manifest(scan);
    }

    static Path root() {
        return cohort.resolve("dicom");
    }

    static Path convert(Map<String, String> row) {
        Path out = dir.resolve("nifti").resolve(row.get("series") + ".nii.gz");
        Result run = IngestTesting.tool("dicom-to-nifti", "--files", scan.resolve(row.get("files")).toString(),
                "--root", root().toString(), "--output", out.toString());
        assertEquals(0, run.exit(), run.err());
        return out;
    }

    @Test
    void oneAcceptedNcctPerSubjectMatchingDcm2niixOrItsPixels() throws Exception {
        List<String> cohortRows = Files.readAllLines(cohort.resolve("truth/cohort.tsv"));
        assertEquals(4, cohortRows.size() - 1);
        List<Map<String, String>> accepted = rows.stream().filter(r -> r.get("decision").equals("accepted")).toList();
        assertEquals(4, accepted.size(), rows.toString());
        assertEquals(4, accepted.stream().map(r -> r.get("subject")).distinct().count());
        for (String line : cohortRows.subList(1, cohortRows.size())) {
            String subject = line.split("\t")[0];
            assertTrue(accepted.stream().anyMatch(r -> r.get("subject").equals(subject)), "truth folder " + subject);
        }
        int untilted = 0;
        int tilted = 0;
        DicomSource dicom = DicomSource.pixelMed();
        for (Map<String, String> row : accepted) {
            Path ours = convert(row);
            ImageVolume a = NiftiReader.read(ours);
            List<SeriesFiles.Entry> entries = SeriesFiles.read(scan.resolve(row.get("files")));
            Path copy = dir.resolve("series-" + row.get("series"));
            Files.createDirectories(copy);
            for (SeriesFiles.Entry e : entries) {
                Files.copy(root().resolve(e.path()), copy.resolve(Path.of(e.path()).getFileName()));
            }
            List<Path> all = IngestTesting.runDcm2niix(copy, dir.resolve("ref-" + row.get("series")));
            if (Double.parseDouble(row.get("tilt_deg")) < 0.01) {
                List<Path> ref = all.stream().filter(x -> !x.getFileName().toString().contains("_ROI")).toList();
                assertEquals(1, ref.size(), all.toString());
                IngestTesting.Agreement ag = IngestTesting.compareWorld(a, NiftiReader.read(ref.get(0)), 0.01);
                for (Path roi : all.stream().filter(x -> x.getFileName().toString().contains("_ROI")).toList()) {
                    // dcm2niix wrote the overlay too: our mask has the same voxels.
                    Path mask = dir.resolve("roi-" + row.get("series") + ".nii.gz");
                    Result run = IngestTesting.tool("overlay-extract", "--files",
                            scan.resolve(row.get("files")).toString(), "--root", root().toString(), "--output",
                            mask.toString());
                    assertEquals(0, run.exit(), run.err());
                    ImageVolume oursMask = NiftiReader.read(mask);
                    IngestTesting.Agreement roiAgreement = IngestTesting.compareWorld(oursMask, NiftiReader.read(roi),
                            0.01);
                    assertEquals(0.0, roiAgreement.maxAbsDiff(), "overlay mask equals dcm2niix's " + roi.getFileName());
                    System.out.printf("synthetic %s: overlay mask equals dcm2niix %s (%d voxels set)%n",
                            row.get("series"), roi.getFileName(), OverlayExtractTest.count(oursMask));
                }
                System.out.printf("synthetic %s: max |diff| %.3f HU, max offset %.5f mm%n", row.get("series"),
                        ag.maxAbsDiff(), ag.maxIndexOffset());
                assertEquals(0.0, ag.maxAbsDiff());
                assertTrue(ag.maxIndexOffset() <= 0.01);
                untilted++;
            } else {
                Affine toVoxel = a.voxelToWorld().inverse();
                List<Double> diffs = new ArrayList<>();
                double[] v = new double[3];
                for (SeriesFiles.Entry e : entries) {
                    DicomImage img = dicom.readImage(root().resolve(e.path()));
                    InstanceHeader h = img.header();
                    double[] p = h.position();
                    double[] o = h.orientation();
                    double[] sp = h.pixelSpacing();
                    for (int r = 0; r < h.rows(); r++) {
                        for (int c = 0; c < h.columns(); c++) {
                            toVoxel.apply(-(p[0] + c * sp[1] * o[0] + r * sp[0] * o[3]),
                                    -(p[1] + c * sp[1] * o[1] + r * sp[0] * o[4]),
                                    p[2] + c * sp[1] * o[2] + r * sp[0] * o[5], v);
                            double got = IngestTesting.sample(a, v[0], v[1], v[2]);
                            assertTrue(!Double.isNaN(got), "pixel inside the corrected grid");
                            diffs.add(Math.abs(got - (img.stored()[c + h.columns() * r] * h.rescaleSlope()
                                    + h.rescaleIntercept())));
                        }
                    }
                }
                double[] d = diffs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf("synthetic tilted %s (%s deg): median |dHU| %.2f, p95 %.2f%n", row.get("series"),
                        row.get("tilt_deg"), d[d.length / 2], d[(int) (d.length * 0.95)]);
                assertTrue(d[d.length / 2] <= 2.0);
                assertTrue(d[(int) (d.length * 0.95)] <= 40.0);
                // and against dcm2niix's _Tilt: in world space for negative tilt, grid index for index for positive
                List<Path> tilt = all.stream().filter(x -> x.getFileName().toString().contains("_Tilt")).toList();
                assertEquals(1, tilt.size(), all.toString());
                IngestTesting.TiltAgreement t = IngestTesting.compareWithDcm2niixTilt(a, NiftiReader.read(tilt.get(0)));
                double headerTilt = Double.parseDouble(row.get("gantry_tilt_header_deg"));
                System.out.printf("synthetic tilted %s (%s deg): %s%n", row.get("series"),
                        row.get("gantry_tilt_header_deg"), t);
                if (headerTilt < 0) {
                    IngestTesting.assertAgreesWithDcm2niixTilt(t, a);
                } else {
                    IngestTesting.assertDcm2niixPositiveTiltError(t);
                }
                tilted++;
            }
        }
        assertTrue(untilted > 0 && tilted > 0, untilted + " untilted, " + tilted + " tilted");
    }

    @Test
    void everyOverlayPointIsRecoveredAtItsWorldPosition() throws Exception {
        Pseudonymizer p = new Pseudonymizer(IngestTesting.KEY);
        int points = 0;
        int subjects = 0;
        try (var truths = Files.list(cohort.resolve("truth"))) {
            for (Path t : truths.filter(Files::isDirectory).sorted().toList()) {
                Path file = t.resolve("overlay_points.tsv");
                if (!Files.exists(file)) {
                    continue;
                }
                subjects++;
                List<String> lines = Files.readAllLines(file);
                List<String> header = List.of(lines.get(0).split("\t"));
                String uid = lines.get(1).split("\t")[header.indexOf("series_instance_uid")];
                String key = p.pseudonym("series", "ser", uid);
                Map<String, String> row = rows.stream().filter(r -> r.get("series").equals(key)).findFirst()
                        .orElseThrow(() -> new AssertionError("overlay series not in the manifest"));
                assertEquals("yes", row.get("has_overlay"));
                Path mask = dir.resolve("masks").resolve(key + ".nii.gz");
                List<String> args = new ArrayList<>(List.of("overlay-extract", "--files",
                        scan.resolve(row.get("files")).toString(), "--root", root().toString(), "--output",
                        mask.toString()));
                if (row.get("decision").equals("overlay_source")) {
                    Map<String, String> ct = rows.stream().filter(r -> r.get("series").equals(row.get("overlay_target")))
                            .findFirst().orElseThrow();
                    args.addAll(List.of("--reference", convert(ct).toString()));
                } else {
                    assertEquals("accepted", row.get("decision"), row.toString());
                }
                Result run = IngestTesting.tool(args.toArray(String[]::new));
                assertEquals(0, run.exit(), run.err());
                ImageVolume m = NiftiReader.read(mask);
                Affine toVoxel = m.voxelToWorld().inverse();
                double[] v = new double[3];
                for (String line : lines.subList(1, lines.size())) {
                    String[] c = line.split("\t");
                    toVoxel.apply(Double.parseDouble(c[header.indexOf("x_ras_mm")]),
                            Double.parseDouble(c[header.indexOf("y_ras_mm")]),
                            Double.parseDouble(c[header.indexOf("z_ras_mm")]), v);
                    int i = (int) Math.round(v[0]);
                    int j = (int) Math.round(v[1]);
                    int k = (int) Math.round(v[2]);
                    assertTrue(m.contains(i, j, k), "point inside the mask grid: " + line);
                    assertEquals(1f, m.get(i, j, k), "overlay point recovered: " + line);
                    points++;
                }
            }
        }
        assertTrue(subjects >= 1 && points > 10, subjects + " subjects, " + points + " points");
        System.out.println("synthetic overlays: " + points + " points of " + subjects + " subjects recovered");
    }
}
