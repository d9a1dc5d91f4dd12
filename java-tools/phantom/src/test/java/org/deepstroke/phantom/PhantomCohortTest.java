package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.Overlay;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small cohort (2 subjects, 256 x 256, one tilted, one normal, both with overlays, one of them in a derived copy)
 * checked with real clients: PixelMed, DCMTK's dcmdump and dcm2niix, and our NIfTI reader.
 */
class PhantomCohortTest {

    @TempDir
    Path tmp;

    @Test
    void sameSeedGivesByteIdenticalTrees() throws Exception {
        Path first = TestCohorts.small();
        Path second = tmp.resolve("again");
        TestCohorts.run(TestCohorts.smallArgs(second));
        Map<Path, String> a = hashes(first);
        Map<Path, String> b = hashes(second);
        assertTrue(a.size() > 100, "files: " + a.size());
        assertEquals(a.keySet(), b.keySet(), "same file names");
        for (Path p : a.keySet()) {
            assertEquals(a.get(p), b.get(p), "content of " + p);
        }
    }

    @Test
    void theDicomdirListsEveryFileAndPixelMedReadsThemAll() throws Exception {
        Path root = TestCohorts.small().resolve("dicom");
        Map<String, Path> listed = DicomRead.dicomdir(root);
        Set<Path> onDisk = new HashSet<>();
        for (Path p : TestCohorts.files(root)) {
            if (!p.toString().equals("DICOMDIR")) {
                onDisk.add(root.resolve(p).normalize());
            }
        }
        Set<Path> inDir = new HashSet<>();
        for (Path p : listed.values()) {
            inDir.add(p.normalize());
        }
        assertEquals(onDisk.size(), listed.size(), "one DICOMDIR record per file");
        assertEquals(onDisk, inDir, "the DICOMDIR lists exactly the files of the file-set");
        Set<String> studies = new HashSet<>();
        Map<String, Integer> sopClasses = new TreeMap<>();
        for (Map.Entry<String, Path> e : listed.entrySet()) {
            Path relative = root.relativize(e.getValue());
            assertEquals(4, relative.getNameCount(), "DICOM/<study>/<series>/<instance>: " + relative);
            for (Path part : relative) {
                assertTrue(part.toString().matches("[A-Z0-9_]{1,8}"), "file ID component " + part);
            }
            AttributeList l = DicomRead.headerOnly(e.getValue());
            assertEquals(e.getKey(), DicomRead.string(l, TagFromName.SOPInstanceUID), "SOP UID of " + relative);
            assertTrue(e.getKey().matches("2\\.25\\.[1-9][0-9]*") && e.getKey().length() <= 64, e.getKey());
            studies.add(DicomRead.string(l, TagFromName.StudyInstanceUID));
            sopClasses.merge(DicomRead.string(l, TagFromName.SOPClassUID), 1, Integer::sum);
        }
        assertEquals(2, studies.size(), "one study per subject");
        assertEquals(2, sopClasses.get(StudyWriter.SECONDARY_CAPTURE), "one dose screen per study");
        // pixel data of a sample of every series reads back in full
        for (Path subject : TestCohorts.subjectDirs(TestCohorts.small())) {
            for (JsonNode s : TestCohorts.truth(subject).get("series")) {
                List<Path> files = DicomRead.seriesFiles(root, s.get("series_instance_uid").asText());
                assertEquals(s.get("instances").asInt(), files.size(), s.get("role").asText());
                AttributeList l = DicomRead.read(files.get(files.size() / 2));
                int rows = Integer.parseInt(DicomRead.string(l, TagFromName.Rows));
                int cols = Integer.parseInt(DicomRead.string(l, TagFromName.Columns));
                boolean eightBit = s.get("role").asText().equals("dose");
                int values = eightBit ? l.getPixelData().getByteValues().length
                        : l.getPixelData().getShortValues().length;
                assertEquals(rows * cols, values, "pixel data of " + s.get("role"));
            }
        }
    }

    @Test
    void dcmdumpParsesEveryFile() throws Exception {
        Path root = TestCohorts.small().resolve("dicom");
        List<String> files = new ArrayList<>();
        for (Path p : TestCohorts.files(root)) {
            files.add(root.resolve(p).toString());
        }
        String dcmdump = DicomRead.tool("dcmdump");
        for (int from = 0; from < files.size(); from += 200) {
            List<String> cmd = new ArrayList<>(List.of(dcmdump, "-q", "+P", "0008,0018", "+P", "0004,1130"));
            List<String> batch = files.subList(from, Math.min(files.size(), from + 200));
            cmd.addAll(batch);
            Subprocess.Result r = Subprocess.check(cmd, null, Map.of(), Duration.ofMinutes(2));
            assertFalse(r.stderr().contains("E:"), r.describe());
            assertTrue(r.stdout().lines().count() >= batch.size(), "one line per file:\n" + r.stdout());
        }
        Subprocess.Result dir = Subprocess.check(List.of(dcmdump, root.resolve("DICOMDIR").toString()), null, Map.of(),
                Duration.ofMinutes(1));
        assertTrue(dir.stdout().contains("MediaStorageDirectoryStorage"), dir.stdout().substring(0, 400));
    }

    @Test
    void theTruthLabelMapLiesOnTheCt() throws Exception {
        Path cohort = TestCohorts.small();
        int ischaemic = 0;
        for (Path subject : TestCohorts.subjectDirs(cohort)) {
            JsonNode truth = TestCohorts.truth(subject);
            String uid = truth.get("truth_grid").get("series_instance_uid").asText();
            DicomRead.Series ct = DicomRead.series(DicomRead.seriesFiles(cohort.resolve("dicom"), uid));
            ImageVolume labels = NiftiReader.read(subject.resolve("labels.nii.gz"));
            ImageVolume brain = NiftiReader.read(subject.resolve("brain_mask.nii.gz"));
            ImageVolume lesion = NiftiReader.read(subject.resolve("lesion_mask.nii.gz"));
            assertTrue(labels.sameGrid(brain, 1e-6) && labels.sameGrid(lesion, 1e-6));
            assertEquals(ct.positions().size(), labels.nz(), "one truth slice per CT image");
            assertEquals(ct.columns(), labels.nx());
            assertEquals(ct.rows(), labels.ny());

            // every CT pixel's world position (from Image Position/Orientation, Pixel Spacing) is a truth voxel centre
            Affine toTruth = labels.voxelToWorld().inverse();
            for (int k = 0; k < labels.nz(); k += 3) {
                for (int[] px : new int[][] {{0, 0}, {ct.columns() - 1, 0}, {17, 201}, {ct.columns() / 2, ct.rows() - 1}}) {
                    double[] lps = ct.lps(px[0], px[1], k);
                    double[] v = toTruth.apply(-lps[0], -lps[1], lps[2]);
                    assertEquals(px[0], v[0], 1e-3, "column");
                    assertEquals(px[1], v[1], 1e-3, "row");
                    assertEquals(k, v[2], 1e-3, "slice");
                }
            }
            // HU inside the truth brain mask is brain (median: the mask's edge has partial volume with the skull),
            // outside it mostly air; labels lie inside the brain
            int plane = ct.columns() * ct.rows();
            float[] inside = new float[labels.size()];
            float[] outside = new float[labels.size()];
            int in = 0;
            int out = 0;
            long labelled = 0;
            long labelledInBrain = 0;
            for (int k = 0; k < labels.nz(); k++) {
                float[] hu = ct.hu().get(k);
                for (int i = 0; i < plane; i++) {
                    int idx = k * plane + i;
                    if (brain.data()[idx] > 0) {
                        inside[in++] = hu[i];
                    } else {
                        outside[out++] = hu[i];
                    }
                    if (labels.data()[idx] > 0) {
                        labelled++;
                        labelledInBrain += brain.data()[idx] > 0 ? 1 : 0;
                    }
                }
            }
            double medianIn = median(inside, in);
            double medianOut = median(outside, out);
            assertTrue(medianIn > 15 && medianIn < 50, "median HU in the brain mask " + medianIn);
            assertTrue(medianOut < -900, "median HU outside the brain mask " + medianOut);
            assertTrue(in > 100_000, "brain voxels " + in);
            assertTrue(labelled > 1000, "labelled voxels " + labelled);
            assertTrue(labelledInBrain >= 0.99 * labelled, labelledInBrain + " of " + labelled + " labels in the brain");

            // ischaemia: the lesion is darker than the same structures on the other side
            if (truth.get("k").asInt() > 0) {
                ischaemic++;
                int[] mirror = new int[21];
                for (int id = 1; id <= 20; id++) {
                    mirror[id] = id <= 10 ? id + 10 : id - 10;
                }
                Set<Integer> affected = new HashSet<>();
                truth.get("affected_label_ids").forEach(n -> affected.add(n.asInt()));
                double lesionSum = 0;
                long lesionN = 0;
                double mirrorSum = 0;
                long mirrorN = 0;
                for (int k = 0; k < labels.nz(); k++) {
                    float[] hu = ct.hu().get(k);
                    for (int i = 0; i < hu.length; i++) {
                        int idx = k * hu.length + i;
                        int id = (int) labels.data()[idx];
                        if (id == 0 || brain.data()[idx] == 0) {
                            continue;
                        }
                        if (lesion.data()[idx] > 0) {
                            assertTrue(affected.contains(id), "lesion voxel with label " + id);
                            lesionSum += hu[i];
                            lesionN++;
                        } else if (affected.contains(mirror[id])) {
                            mirrorSum += hu[i];
                            mirrorN++;
                        }
                    }
                }
                assertTrue(lesionN > 100 && mirrorN > 100, lesionN + " / " + mirrorN);
                double drop = mirrorSum / mirrorN - lesionSum / lesionN;
                double expected = truth.get("ischaemia").get("hu_drop").asDouble();
                assertTrue(drop > 0.5 * expected && drop < expected + 4,
                        "lesion is " + drop + " HU darker than the mirror regions; drawn drop " + expected);
            } else {
                assertEquals(10, truth.get("aspects").asInt());
                for (float v : lesion.data()) {
                    assertEquals(0f, v);
                }
            }
        }
        assertEquals(1, ischaemic, "normal-share 0.5 of 2 subjects");
    }

    @Test
    void theTruthTransformMapsTheCtGridOntoTheTemplateLabels() throws Exception {
        ImageVolume template = NiftiReader.read(TestCohorts.labels());
        Affine templateFromWorld = template.voxelToWorld().inverse();
        for (Path subject : TestCohorts.subjectDirs(TestCohorts.small())) {
            JsonNode tr = TestCohorts.truth(subject).get("transform");
            double[][] a = new double[3][4];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    a[r][c] = tr.get("A").get(r).get(c).asDouble();
                }
            }
            Affine nativeToTemplate = Affine.ofRows(a[0], a[1], a[2]);
            List<double[]> bumps = new ArrayList<>();
            for (JsonNode b : tr.get("displacement").get("bumps")) {
                bumps.add(new double[] {b.get("centre_mm").get(0).asDouble(), b.get("centre_mm").get(1).asDouble(),
                    b.get("centre_mm").get(2).asDouble(), b.get("sigma_mm").asDouble(),
                    b.get("amplitude_mm").get(0).asDouble(), b.get("amplitude_mm").get(1).asDouble(),
                    b.get("amplitude_mm").get(2).asDouble()});
            }
            ImageVolume labels = NiftiReader.read(subject.resolve("labels.nii.gz"));
            long compared = 0;
            long agree = 0;
            for (int z = 0; z < labels.nz(); z++) {
                for (int y = 0; y < labels.ny(); y += 3) {
                    for (int x = 0; x < labels.nx(); x += 3) {
                        float truthLabel = labels.get(x, y, z);
                        if (truthLabel == 0 && (x + y + z) % 20 != 0) {
                            continue; // all labelled voxels, and a sample of the rest
                        }
                        double[] world = labels.voxelToWorld().apply(x, y, z);
                        double[] t = nativeToTemplate.apply(world[0], world[1], world[2]);
                        double[] d = new double[3];
                        for (double[] b : bumps) {
                            double r2 = Math.pow(t[0] - b[0], 2) + Math.pow(t[1] - b[1], 2) + Math.pow(t[2] - b[2], 2);
                            double g = Math.exp(-r2 / (2 * b[3] * b[3]));
                            d[0] += b[4] * g;
                            d[1] += b[5] * g;
                            d[2] += b[6] * g;
                        }
                        double[] v = templateFromWorld.apply(t[0] + d[0], t[1] + d[1], t[2] + d[2]);
                        int vx = (int) Math.round(v[0]);
                        int vy = (int) Math.round(v[1]);
                        int vz = (int) Math.round(v[2]);
                        float expected = template.contains(vx, vy, vz) ? template.get(vx, vy, vz) : 0;
                        compared++;
                        agree += expected == truthLabel ? 1 : 0;
                    }
                }
            }
            assertTrue(compared > 10_000, "compared " + compared);
            assertTrue(agree >= 0.98 * compared, "the truth transform reproduces " + agree + " of " + compared
                    + " labels");
        }
    }

    @Test
    void dcm2niixConvertsTheUntiltedNcctOntoTheTruthGrid() throws Exception {
        Path cohort = TestCohorts.small();
        Path untilted = null;
        for (Path subject : TestCohorts.subjectDirs(cohort)) {
            if (TestCohorts.truth(subject).get("tilt_deg").asDouble() == 0) {
                untilted = subject;
            }
        }
        assertNotNull(untilted, "tilt-share 0.5 of 2 leaves one untilted subject");
        Dcm2niix.checkAgainstTruth(cohort, untilted, tmp);
    }

    @Test
    void theTiltedSeriesIsShearedLikeAScannerWritesIt() throws Exception {
        Path cohort = TestCohorts.small();
        int tilted = 0;
        for (Path subject : TestCohorts.subjectDirs(cohort)) {
            JsonNode truth = TestCohorts.truth(subject);
            double tilt = truth.get("tilt_deg").asDouble();
            if (tilt == 0) {
                continue;
            }
            tilted++;
            assertTrue(Math.abs(tilt) >= 15 && Math.abs(tilt) <= 20, "tilt " + tilt);
            assertTrue(truth.get("truth_grid").get("sheared").asBoolean());
            String uid = truth.get("truth_grid").get("series_instance_uid").asText();
            List<Path> files = DicomRead.seriesFiles(cohort.resolve("dicom"), uid);
            AttributeList first = DicomRead.headerOnly(files.get(0));
            AttributeList second = DicomRead.headerOnly(files.get(1));
            assertEquals(tilt, DicomRead.doubles(first, new AttributeTag(0x0018, 0x1120))[0], 1e-9);
            double[] iop = DicomRead.doubles(first, TagFromName.ImageOrientationPatient);
            assertEquals(Math.cos(Math.toRadians(tilt)), iop[4], 1e-6);
            assertEquals(Math.sin(Math.toRadians(tilt)), iop[5], 1e-6);
            double[] p0 = DicomRead.doubles(first, TagFromName.ImagePositionPatient);
            double[] p1 = DicomRead.doubles(second, TagFromName.ImagePositionPatient);
            assertEquals(0, p1[0] - p0[0], 1e-9, "slices advance along the table (z) only");
            assertEquals(0, p1[1] - p0[1], 1e-9, "slices advance along the table (z) only");
            ImageVolume labels = NiftiReader.read(subject.resolve("labels.nii.gz"));
            assertFalse(labels.voxelToWorld().isOrthogonal(1e-3), "the truth sform is the sheared acquisition grid");
            assertEquals(0, NiftiReader.readHeader(subject.resolve("labels.nii.gz")).qformCode(),
                    "no qform for a sheared grid");
        }
        assertEquals(1, tilted);
    }

    @Test
    void overlayBitsLandWhereTheTruthSays() throws Exception {
        Path cohort = TestCohorts.small();
        Path root = cohort.resolve("dicom");
        Map<String, Path> files = DicomRead.dicomdir(root);
        Set<String> placements = new HashSet<>();
        for (Path subject : TestCohorts.subjectDirs(cohort)) {
            JsonNode truth = TestCohorts.truth(subject);
            assertTrue(truth.get("has_overlay").asBoolean(), "overlay-share 1");
            JsonNode overlay = truth.get("overlay");
            String role = overlay.get("series_role").asText();
            placements.add(role);
            assertEquals(truth.get("overlay_in_derived").asBoolean(), role.equals("ncct_derived"));
            ImageVolume labels = NiftiReader.read(subject.resolve("labels.nii.gz"));

            // points of the truth table, per SOP instance
            Map<String, Set<Long>> expected = new HashMap<>();
            List<String> lines = Files.readAllLines(subject.resolve("overlay_points.tsv"));
            assertEquals("series_instance_uid", lines.get(0).split("\t")[0]);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                int col = Integer.parseInt(f[7]);
                int row = Integer.parseInt(f[8]);
                int slice = Integer.parseInt(f[3]);
                expected.computeIfAbsent(f[1], x -> new HashSet<>()).add(((long) row << 32) | col);
                double[] w = labels.voxelToWorld().apply(col, row, slice);
                for (int a = 0; a < 3; a++) {
                    assertEquals(w[a], Double.parseDouble(f[9 + a]), 1e-3, "world coordinate of " + line);
                }
                // a jittered outline point lies within 2 pixels of its region
                assertTrue(nearLabel(labels, col, row, slice, Integer.parseInt(f[5]), 2), line);
            }
            assertEquals(overlay.get("points").asInt(), lines.size() - 1);
            assertTrue(expected.size() >= 1 && expected.size() <= 2, "BG and SG slices: " + expected.size());

            // every image of the overlaid series: PixelMed's overlay bits == the truth's points (and none elsewhere)
            String seriesUid = overlay.get("series_instance_uid").asText();
            int overlaid = 0;
            for (Path f : DicomRead.seriesFiles(root, seriesUid)) {
                AttributeList l = DicomRead.read(f);
                String sop = DicomRead.string(l, TagFromName.SOPInstanceUID);
                Overlay o = new Overlay(l);
                Set<Long> want = expected.getOrDefault(sop, Set.of());
                if (want.isEmpty()) {
                    assertEquals(0, o.getNumberOfOverlays(0), "no overlay on " + sop);
                    continue;
                }
                overlaid++;
                assertEquals(1, o.getNumberOfOverlays(0));
                assertEquals(0, o.getRowOrigin(0, 0));
                assertEquals(0, o.getColumnOrigin(0, 0));
                BufferedImage img = o.getOverlayAsBinaryBufferedImage(0, 0);
                Set<Long> got = new HashSet<>();
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        if (img.getRaster().getSample(x, y, 0) != 0) {
                            got.add(((long) y << 32) | x);
                        }
                    }
                }
                assertEquals(want, got, "overlay bits of " + sop);
                assertEquals("G", DicomRead.string(l, new AttributeTag(0x6000, 0x0040)));
            }
            assertEquals(expected.size(), overlaid);
            // the other NCCT series (original when derived) carries no overlay at all
            if (role.equals("ncct_derived")) {
                String original = TestCohorts.series(truth, "ncct").get("series_instance_uid").asText();
                for (Path f : DicomRead.seriesFiles(root, original)) {
                    assertEquals(0, new Overlay(DicomRead.read(f)).getNumberOfOverlays(0), "original " + f);
                }
                AttributeList copy = DicomRead.headerOnly(DicomRead.seriesFiles(root, seriesUid).get(0));
                assertEquals("DERIVED\\SECONDARY\\AXIAL",
                        com.pixelmed.dicom.Attribute.getDelimitedStringValuesOrEmptyString(copy, TagFromName.ImageType));
            }
        }
        assertEquals(Set.of("ncct", "ncct_derived"), placements, "one subject each way");
        assertTrue(files.size() > 0);
    }

    @Test
    void noPatientNameIdOrBirthDateInAnyTruthFile() throws Exception {
        Path cohort = TestCohorts.small();
        Path root = cohort.resolve("dicom");
        Pseudonymizer pseudonymizer = new Pseudonymizer(TestCohorts.KEY);
        Set<String> needles = new HashSet<>();
        Set<String> pseudonyms = new HashSet<>();
        for (Path f : DicomRead.dicomdir(root).values()) {
            AttributeList l = DicomRead.headerOnly(f);
            String name = DicomRead.string(l, TagFromName.PatientName);
            String id = DicomRead.string(l, TagFromName.PatientID);
            String birth = DicomRead.string(l, TagFromName.PatientBirthDate);
            assertNotNull(name);
            assertTrue(name.contains("^"), name);
            assertTrue(id.length() >= 6, id);
            assertTrue(birth.matches("(19|20)\\d{6}"), birth);
            needles.add(name);
            for (String part : name.split("\\^")) {
                if (part.length() >= 3) {
                    needles.add(part);
                }
            }
            needles.add(id);
            needles.add(birth);
            needles.add(birth.substring(0, 4) + "-" + birth.substring(4, 6) + "-" + birth.substring(6));
            pseudonyms.add(pseudonymizer.pseudonym("subject", "sub", id));
        }
        assertEquals(2, pseudonyms.size());
        Set<String> dirs = new HashSet<>();
        for (Path d : TestCohorts.subjectDirs(cohort)) {
            dirs.add(d.getFileName().toString());
        }
        assertEquals(pseudonyms, dirs, "truth folders are the keyed pseudonyms of the Patient IDs");

        Path truthRoot = cohort.resolve("truth");
        int checked = 0;
        for (Path rel : TestCohorts.files(truthRoot)) {
            Path file = truthRoot.resolve(rel);
            if (rel.toString().endsWith(".png")) {
                continue; // pixels, no text
            }
            byte[] bytes;
            try (InputStream in = rel.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                    : Files.newInputStream(file)) {
                bytes = in.readAllBytes();
            }
            String utf8 = new String(bytes, StandardCharsets.UTF_8);
            String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String needle : needles) {
                assertFalse(utf8.contains(needle) || latin1.contains(needle), "'" + needle + "' in " + rel);
            }
            checked++;
        }
        assertTrue(checked >= 10, "truth files checked: " + checked);
    }

    @Test
    void theCohortTableMatchesEachTruth() throws Exception {
        Path cohort = TestCohorts.small();
        List<String> lines = Files.readAllLines(cohort.resolve("truth/cohort.tsv"));
        assertEquals("pseudonym\taspects\tside\tk\thas_overlay\toverlay_in_derived\ttilt\taffected_regions",
                lines.get(0));
        assertEquals(3, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            JsonNode truth = TestCohorts.truth(cohort.resolve("truth").resolve(f[0]));
            assertEquals(truth.get("aspects").asInt(), Integer.parseInt(f[1]));
            assertEquals(10 - truth.get("k").asInt(), truth.get("aspects").asInt());
            assertEquals(truth.get("side").isNull() ? "none" : truth.get("side").asText(), f[2]);
            assertEquals(truth.get("k").asInt(), Integer.parseInt(f[3]));
            assertEquals(truth.get("has_overlay").asBoolean(), Boolean.parseBoolean(f[4]));
            assertEquals(truth.get("overlay_in_derived").asBoolean(), Boolean.parseBoolean(f[5]));
            assertEquals(truth.get("tilt_deg").asDouble(), Double.parseDouble(f[6]));
            assertEquals(truth.get("affected_regions").size(), f[7].equals("-") ? 0 : f[7].split(",").length);
            JsonNode disp = truth.get("transform").get("displacement");
            assertTrue(disp.get("max_mm").asDouble() <= 6.0 + 1e-9, "max displacement");
            assertTrue(disp.get("min_jacobian").asDouble() >= Deformation.MIN_JACOBIAN, "invertible deformation");
            assertTrue(Files.size(cohort.resolve("truth").resolve(f[0]).resolve("qc.png")) > 1000);
        }
        JsonNode meta = TestCohorts.JSON.readTree(cohort.resolve("truth/cohort.json").toFile());
        assertEquals(7, meta.get("seed").asLong());
        assertNull(meta.get("output_dir"));
    }

    private static double median(float[] values, int n) {
        float[] v = java.util.Arrays.copyOf(values, n);
        java.util.Arrays.sort(v);
        return v[n / 2];
    }

    private static boolean nearLabel(ImageVolume labels, int col, int row, int slice, int id, int radius) {
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                int x = col + dx;
                int y = row + dy;
                if (labels.contains(x, y, slice) && (int) labels.get(x, y, slice) == id) {
                    return true;
                }
            }
        }
        return false;
    }

    static Map<Path, String> hashes(Path root) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        for (Path p : TestCohorts.files(root)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            out.put(p, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(root.resolve(p)))));
        }
        return out;
    }
}
