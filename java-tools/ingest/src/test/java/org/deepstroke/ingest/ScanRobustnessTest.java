package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.ingest.TestFileSets.Rec;
import org.deepstroke.ingest.scan.FileSetPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * The scan against broken inputs: missing, truncated and unreadable files, ReferencedFileIDs that leave the root,
 * the same instance twice, series split across studies (in the headers and in the DICOMDIR), and the pydicom
 * DICOMDIR variants (big endian, implicit VR, no offsets, reordered, no patient record, empty).
 */
class ScanRobustnessTest {

    @TempDir
    static Path dir;
    static Path key;
    static Path root;
    static String std5;
    static String std1;
    static String bone;
    static String study;

    static Path philips(String series, int image) {
        return IngestTesting.philips().resolve("DICOM/" + series + "/I" + (image * 10));
    }

    /** A file-set made from Philips copies with every kind of trouble in one DICOMDIR. */
    @BeforeAll
    static void buildFileSet() throws Exception {
        key = IngestTesting.keyFile(dir);
        root = dir.resolve("fileset");
        std5 = TestFileSets.value(philips("S21570/S2010", 1), TagFromName.SeriesInstanceUID);
        std1 = TestFileSets.value(philips("S21570/S2020", 1), TagFromName.SeriesInstanceUID);
        bone = TestFileSets.value(philips("S21570/S2030", 1), TagFromName.SeriesInstanceUID);
        study = TestFileSets.value(philips("S21570/S2010", 1), TagFromName.StudyInstanceUID);
        List<Rec> recs = new ArrayList<>(List.of(Rec.patient(), Rec.study(study), Rec.series(std5)));
        // STD 5 mm: 28 images, the first 14 under this study record, the rest under a second STUDY record of the
        // same study (a series split in the DICOMDIR only), I1 referenced twice, I2 copied under another name.
        for (int i = 1; i <= 28; i++) {
            Files.createDirectories(root.resolve("A/S1"));
            Files.copy(philips("S21570/S2010", i), root.resolve("A/S1/I" + i));
            if (i == 15) {
                recs.add(Rec.study(study));
                recs.add(Rec.series(std5));
            }
            recs.add(Rec.image("A", "S1", "I" + i));
        }
        recs.add(Rec.image("A", "S1", "I1"));
        Files.copy(philips("S21570/S2010", 2), root.resolve("A/S1/DUP"));
        recs.add(Rec.image("A", "S1", "DUP"));
        // STD 1 mm: three good copies, one missing file, one truncated copy.
        recs.add(Rec.series(std1));
        Files.createDirectories(root.resolve("A/S2"));
        for (int i = 1; i <= 3; i++) {
            Files.copy(philips("S21570/S2020", i), root.resolve("A/S2/I" + i));
            recs.add(Rec.image("A", "S2", "I" + i));
        }
        recs.add(Rec.image("A", "S2", "MISSING"));
        byte[] whole = Files.readAllBytes(philips("S21570/S2020", 4));
        Files.write(root.resolve("A/S2/TRUNC"), java.util.Arrays.copyOf(whole, whole.length / 2));
        recs.add(Rec.image("A", "S2", "TRUNC"));
        // A series of garbage: random bytes.
        recs.add(Rec.series("1.2.3.999"));
        Files.createDirectories(root.resolve("A/S3"));
        byte[] junk = new byte[4000];
        new Random(7).nextBytes(junk);
        Files.write(root.resolve("A/S3/JUNK"), junk);
        recs.add(Rec.image("A", "S3", "JUNK"));
        // BONE: 2 files of the series in this study, 2 whose headers name another study (split across studies).
        recs.add(Rec.series(bone));
        Files.createDirectories(root.resolve("A/S4"));
        for (int i = 1; i <= 4; i++) {
            if (i <= 2) {
                Files.copy(philips("S21570/S2030", i), root.resolve("A/S4/I" + i));
            } else {
                TestFileSets.copyWith(philips("S21570/S2030", i), root.resolve("A/S4/I" + i),
                        TagFromName.StudyInstanceUID, "1.2.3.4.5.6.7.8");
            }
            recs.add(Rec.image("A", "S4", "I" + i));
        }
        // References leaving the root: "..", absolute, a drive letter, a symbolic link pointing outside. The
        // targets exist and are valid DICOM (the localizer series): if any were opened, it would show in the manifest.
        Files.copy(philips("S21570/S1000", 1), dir.resolve("outside.dcm"));
        Files.createSymbolicLink(root.resolve("A/LINK"), dir.resolve("outside.dcm"));
        recs.add(Rec.image("..", "outside.dcm"));
        recs.add(Rec.image(dir.resolve("outside.dcm").toString()));
        recs.add(Rec.image("C:", "outside.dcm"));
        recs.add(Rec.image("A", "LINK"));
        TestFileSets.writeDicomdir(root.resolve("DICOMDIR"), recs);
    }

    static Map<String, String> byKey(List<Map<String, String>> rows, String uid) {
        String k = new Pseudonymizer(IngestTesting.KEY).pseudonym("series", "ser", uid);
        return rows.stream().filter(r -> r.get("series").equals(k)).findFirst().orElse(null);
    }

    @Test
    void everyProblemIsReportedOnItsSeriesAndNothingOutsideTheRootIsOpened() throws Exception {
        Path out = dir.resolve("scan");
        Result run = IngestTesting.scan(out, key, "--input", root.toString());
        List<Map<String, String>> rows = IngestTesting.manifest(out);
        // STD 5 mm: whole despite the split DICOMDIR records, the duplicate reference and the duplicate copy.
        Map<String, String> s5 = byKey(rows, std5);
        assertEquals("accepted", s5.get("decision"), s5.toString());
        assertEquals("28", s5.get("instances"));
        assertTrue(s5.get("notes").contains("duplicate_instances_dropped=1"), s5.toString());
        // STD 1 mm: missing and truncated files.
        Map<String, String> s1 = byKey(rows, std1);
        assertEquals("rejected", s1.get("decision"));
        assertTrue(s1.get("reasons").contains("missing_files=1"), s1.toString());
        assertTrue(s1.get("reasons").contains("truncated_files=1"), s1.toString());
        // Garbage: unreadable, attributed through the DICOMDIR's series record.
        Map<String, String> junk = byKey(rows, "1.2.3.999");
        assertEquals("rejected", junk.get("decision"));
        assertTrue(junk.get("reasons").contains("unreadable_files=1"), junk.toString());
        assertEquals("n/a", junk.get("subject"));
        // Bone: split across two studies in its own headers.
        Map<String, String> b = byKey(rows, bone);
        assertTrue(b.get("reasons").contains("split_across_studies"), b.toString());
        assertTrue(b.get("study").contains(","), "both study keys listed: " + b);
        // Escaping references: rejected, never opened (the localizer behind them never appears).
        assertNull(byKey(rows, TestFileSets.value(philips("S21570/S1000", 1), TagFromName.SeriesInstanceUID)));
        JsonNode report = new ObjectMapper().readTree(out.resolve("scan-report.json").toFile());
        assertEquals(4, report.get("roots").get(0).get("references_outside_root").asInt());
        // They sit under the bone SERIES record: reported on that series.
        assertTrue(b.get("reasons").contains("file_outside_root=4"), b.toString());
        assertEquals(1, report.get("duplicate_references_skipped").asInt());
        assertEquals(1, report.get("missing_files").asInt());
        assertEquals(1, report.get("unreadable_files").asInt());
        assertTrue(report.get("roots").get(0).get("warnings").toString().contains("offsets unusable"));
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(run.err().contains("referenced file missing"), run.err());
    }

    @Test
    void containmentRefusesEveryEscape() throws Exception {
        assertNull(FileSetPaths.inside(root, List.of("..", "outside.dcm")));
        assertNull(FileSetPaths.inside(root, List.of("A", "..", "..", "outside.dcm")));
        assertNull(FileSetPaths.inside(root, List.of("/etc/passwd")));
        assertNull(FileSetPaths.inside(root, List.of("A/../../x")));
        assertNull(FileSetPaths.inside(root, List.of("C:", "x")));
        assertNull(FileSetPaths.inside(root, List.of("A", "LINK")));
        assertNull(FileSetPaths.inside(root, List.of()));
        assertEquals(root.resolve("A/S1/I1"), FileSetPaths.inside(root, List.of("A", "S1", "I1")));
        // A symbolic link to the root itself is a fine root (Nextflow stages roots as links).
        Path link = dir.resolve("rootlink");
        Files.createSymbolicLink(link, root);
        assertEquals(link.resolve("A/S1/I1"), FileSetPaths.inside(link, List.of("A", "S1", "I1")));
    }

    @Test
    void pydicomDicomdirVariantsAllScan() throws Exception {
        Path base = ProjectPaths.sharedFile("dicom/dicomdir-edge-cases/dicomdirtests");
        List<Map<String, String>> reference = null;
        for (String variant : List.of("DICOMDIR", "DICOMDIR-bigEnd", "DICOMDIR-implicit", "DICOMDIR-reordered",
                "DICOMDIR-nopatient", "DICOMDIR-nooffset")) {
            Path out = dir.resolve("pydicom-" + variant);
            IngestTesting.scan(out, key, "--input", base.resolve(variant).toString());
            List<Map<String, String>> rows = IngestTesting.manifest(out);
            JsonNode report = new ObjectMapper().readTree(out.resolve("scan-report.json").toFile());
            String warnings = report.get("roots").get(0).get("warnings").toString();
            if (variant.equals("DICOMDIR")) {
                reference = rows;
                assertEquals(31, report.get("headers_read").asInt());
                // the test folder also holds files no variant references (TINY_ALPHA/, CT2N...): counted, not read
                int unlisted = report.get("roots").get(0).get("files_not_in_dicomdir").asInt();
                assertTrue(unlisted > 0 && warnings.equals("[\"" + unlisted + " DICOM (Part 10) files in the folder "
                        + "are not in the DICOMDIR: not scanned (scan that folder as a root of its own to include "
                        + "them)\"]"), warnings);
            } else if (variant.equals("DICOMDIR-nooffset")) {
                // Its record sequence length no longer matches the file: the folder is walked instead.
                assertTrue(warnings.contains("folder walked instead"), warnings);
                for (Map<String, String> r : reference) {
                    assertTrue(rows.stream().anyMatch(x -> x.get("series").equals(r.get("series"))), variant);
                }
                continue;
            } else {
                assertEquals(31, report.get("headers_read").asInt(), variant);
            }
            if (variant.equals("DICOMDIR-nopatient")) {
                assertTrue(warnings.contains("UNKNOWN"), warnings);
            }
            assertEquals(reference.size(), rows.size(), variant);
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(reference.get(i).get("series"), rows.get(i).get("series"), variant);
                assertEquals(reference.get(i).get("instances"), rows.get(i).get("instances"), variant);
                assertEquals(reference.get(i).get("reasons"), rows.get(i).get("reasons"), variant);
            }
            assertTrue(rows.stream().allMatch(r -> r.get("decision").equals("rejected")), "MR/CR stubs only");
        }
        Path empty = dir.resolve("pydicom-empty");
        IngestTesting.scan(empty, key, "--input", base.resolve("DICOMDIR-empty.dcm").toString());
        assertEquals(1, Files.readAllLines(empty.resolve("manifest.tsv")).size(), "header only");
    }

    @Test
    void plainFoldersOnlyWhenAsked() throws Exception {
        Path folder = dir.resolve("plain");
        Files.createDirectories(folder.resolve("x"));
        for (int i = 1; i <= 3; i++) {
            Files.copy(philips("S21570/S2010", i), folder.resolve("x/f" + i + ".dcm"));
        }
        Files.writeString(folder.resolve("x/readme.txt"), "not dicom");
        Result refused = IngestTesting.tool("dicomdir-scan", "--input", folder.toString(), "--output",
                dir.resolve("plain-out").toString(), "--pseudonym-key-file", key.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("--folders"), refused.err());
        IngestTesting.scan(dir.resolve("plain-out"), key, "--input", folder.toString(), "--folders");
        List<Map<String, String>> rows = IngestTesting.manifest(dir.resolve("plain-out"));
        assertEquals(1, rows.size());
        assertEquals("3", rows.get(0).get("instances"));
        assertTrue(rows.get(0).get("reasons").contains("too_few_slices=3"), rows.toString());
    }
}
