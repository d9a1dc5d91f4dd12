package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, items 1-4 and the manifest's accounting: nothing lost (roots told apart by content, a DICOMDIR that
 * cannot be read whole replaced by a walk of its folder), nothing accepted that conversion cannot decode, and a
 * file given as a DICOMDIR that is not one refused. Inputs are made here from the Philips file-set.
 */
class ScanContractTest {

    @TempDir
    static Path dir;
    static Path key;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void prepare() throws Exception {
        key = IngestTesting.keyFile(dir);
    }

    static Path philips(String series, int image) {
        return IngestTesting.philips().resolve("DICOM/" + series + "/I" + (image * 10));
    }

    /** A copy of the whole Philips file-set (hard links where possible: the scan refuses links leaving a root). */
    static Path philipsCopy(Path to) throws Exception {
        Path from = IngestTesting.philips();
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    try {
                        Files.createLink(t, f);
                    } catch (Exception e) {
                        Files.copy(f, t);
                    }
                }
            }
        }
        return to;
    }

    /** A Philips slice rewritten with new patient/study/series/SOP UIDs of the same length (same file size). */
    static void rewrite(Path from, Path to, String suffix, String transferSyntax) throws Exception {
        AttributeList list = new AttributeList();
        list.read(from.toFile());
        for (var tag : List.of(TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID, TagFromName.SOPInstanceUID,
                TagFromName.PatientID)) {
            String v = com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list, tag);
            String nv = v.substring(0, v.length() - suffix.length()) + suffix;
            list.get(tag).setValue(nv);
        }
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, transferSyntax, "TEST");
        Files.createDirectories(to.getParent());
        try (OutputStream out = Files.newOutputStream(to)) {
            // The data set stays explicit little endian: only the meta header names the other syntax (enough for the
            // scan, which reads headers only; conversion would have to decode the pixel data).
            list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        }
    }

    static List<Map<String, String>> rows(Path scan) throws Exception {
        return IngestTesting.manifest(scan);
    }

    static JsonNode report(Path scan) throws Exception {
        return JSON.readTree(scan.resolve("scan-report.json").toFile());
    }

    static void assertOneLineNaming(Result run, String file) {
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).contains(file), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    /** Item 1: same names and sizes, different patients: two exports, two series, none skipped. */
    @Test
    void folderRootsAreToldApartByContentNotByNamesAndSizes() throws Exception {
        Path a = dir.resolve("item1/a");
        Path b = dir.resolve("item1/b");
        for (int i = 1; i <= 24; i++) {
            rewrite(philips("S21570/S2010", i), a.resolve("IMG" + i), "11", TransferSyntax.ExplicitVRLittleEndian);
            rewrite(philips("S21570/S2010", i), b.resolve("IMG" + i), "22", TransferSyntax.ExplicitVRLittleEndian);
            assertEquals(Files.size(a.resolve("IMG" + i)), Files.size(b.resolve("IMG" + i)));
        }
        Path scan = dir.resolve("item1/scan");
        IngestTesting.scan(scan, key, "--folders", "--input", a + "," + b);
        List<Map<String, String>> rows = rows(scan);
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.get("instances").equals("24")), rows.toString());
        assertFalse(rows.get(0).get("file_sets").equals(rows.get(1).get("file_sets")), rows.toString());
        assertFalse(rows.get(0).get("subject").equals(rows.get(1).get("subject")), rows.toString());
        JsonNode roots = report(scan).get("roots");
        assertEquals("folder", roots.get(0).get("kind").asText());
        assertEquals("folder", roots.get(1).get("kind").asText(), roots.toString());
    }

    /** Item 10: a plain folder given through a symbolic link (as Nextflow stages roots) is walked, same id. */
    @Test
    void aPlainFolderRootBehindASymbolicLinkIsWalked() throws Exception {
        Path real = dir.resolve("item10/export");
        for (int i = 1; i <= 24; i++) {
            rewrite(philips("S21570/S2010", i), real.resolve("IMG" + i), "10", TransferSyntax.ExplicitVRLittleEndian);
        }
        Path link = Files.createSymbolicLink(dir.resolve("item10/fs1"), real);
        Path scan = dir.resolve("item10/scan");
        IngestTesting.scan(scan, key, "--folders", "--input", link.toString());
        List<Map<String, String>> rows = rows(scan);
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("24", rows.get(0).get("instances"));
        assertEquals(org.deepstroke.ingest.scan.FileSetId.of(real), rows.get(0).get("file_sets"));
        assertEquals(org.deepstroke.ingest.scan.FileSetId.of(link), rows.get(0).get("file_sets"));
    }

    /** A DICOMDIR root behind a link (as Nextflow stages it): every file listed, none counted as unlisted. */
    @Test
    void aLinkedDicomdirRootHasNoUnlistedFiles() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("philips-link"), IngestTesting.philips());
        Path scan = dir.resolve("linked-scan");
        IngestTesting.scan(scan, key, "--input", link.toString());
        JsonNode r0 = report(scan).get("roots").get(0);
        assertEquals(0, r0.get("files_not_in_dicomdir").asInt(), r0.toString());
        assertEquals("[]", r0.get("warnings").toString());
        assertEquals(9, rows(scan).size());
    }

    /** Item 2: a file that is not a DICOMDIR is a usage error naming it, not a scan of its parent folder. */
    @Test
    void aFileThatIsNotADicomdirIsAUsageError() throws Exception {
        Path notDicomdir = philips("S21570/S2010", 1);
        Path scan = dir.resolve("item2-scan");
        Result run = IngestTesting.tool("dicomdir-scan", "--output", scan.toString(), "--pseudonym-key-file",
                key.toString(), "--input", notDicomdir.toString());
        assertEquals(2, run.exit(), run.err());
        assertOneLineNaming(run, notDicomdir.toString());
        assertTrue(run.err().contains("not a DICOMDIR"), run.err());
        assertFalse(Files.exists(scan.resolve("manifest.tsv")));
        Path text = Files.writeString(Files.createDirectories(dir.resolve("item2")).resolve("notes.txt"), "hello\n");
        Result run2 = IngestTesting.tool("dicomdir-scan", "--output", scan.toString(), "--pseudonym-key-file",
                key.toString(), "--input", text.toString());
        assertEquals(2, run2.exit(), run2.err());
        assertOneLineNaming(run2, text.toString());
    }

    /**
     * Item 3: a DICOMDIR cut short anywhere loses nothing: the folder is walked instead (said in scan-report.json
     * and in each series' notes), every series of the file-set is there whole, and no library stack trace shows.
     */
    @Test
    void aTruncatedDicomdirFallsBackToWalkingItsFolder() throws Exception {
        Path whole = dir.resolve("item3/whole");
        IngestTesting.scan(whole, key, "--input", IngestTesting.philips().toString());
        Map<String, String> expected = new java.util.TreeMap<>();
        for (Map<String, String> r : rows(whole)) {
            expected.put(r.get("series"), r.get("instances"));
        }
        assertEquals(9, expected.size());
        byte[] dicomdir = Files.readAllBytes(IngestTesting.philips().resolve("DICOMDIR"));
        Path root = philipsCopy(dir.resolve("item3/fileset"));
        for (double fraction : new double[] {0.3, 0.62, 0.95}) {
            Files.delete(root.resolve("DICOMDIR"));
            Files.write(root.resolve("DICOMDIR"), java.util.Arrays.copyOf(dicomdir, (int) (dicomdir.length * fraction)));
            Path scan = dir.resolve("item3/scan-" + fraction);
            Result run = IngestTesting.scan(scan, key, "--input", root.toString());
            assertFalse(run.err().contains("\tat "), run.err());
            assertFalse(run.err().contains("Exception"), run.err());
            Map<String, String> got = new java.util.TreeMap<>();
            for (Map<String, String> r : rows(scan)) {
                got.put(r.get("series"), r.get("instances"));
                assertTrue(r.get("notes").contains("dicomdir_unreadable_folder_walked"), r.toString());
            }
            assertEquals(expected, got, "fraction " + fraction);
            JsonNode r0 = report(scan).get("roots").get(0);
            assertEquals("folder", r0.get("kind").asText(), r0.toString());
            assertTrue(r0.get("warnings").toString().contains("folder walked instead"), r0.toString());
        }
    }

    /** Item 4: JPEG 2000 is rejected at scan time with the reason, and conversion agrees (exit 1, named). */
    @Test
    void seriesConversionCannotDecodeAreRejectedAtScanTime() throws Exception {
        Path root = dir.resolve("item4/folder");
        for (int i = 1; i <= 24; i++) {
            rewrite(philips("S21570/S2010", i), root.resolve("IMG" + i), "44", "1.2.840.10008.1.2.4.90");
        }
        Path scan = dir.resolve("item4/scan");
        IngestTesting.scan(scan, key, "--folders", "--input", root.toString());
        List<Map<String, String>> rows = rows(scan);
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("rejected", rows.get(0).get("decision"), rows.toString());
        assertTrue(rows.get(0).get("reasons").contains("transfer_syntax_not_decodable=jpeg2000-lossless"),
                rows.toString());
        Result convert = IngestTesting.tool("dicom-to-nifti", "--dicom", root.toString(), "--output",
                dir.resolve("item4/out.nii.gz").toString());
        assertEquals(1, convert.exit(), convert.err());
        assertTrue(convert.err().contains("jpeg2000-lossless"), convert.err());
    }

    /**
     * Accounting: series found = manifest rows = accepted + rejected (+ overlay sources); files in a walked folder
     * that are not DICOM (zero-byte, text named .dcm) are counted in scan-report.json, not dropped unseen.
     */
    @Test
    void everySeriesIsARowAndNonDicomFilesAreCounted() throws Exception {
        Path root = dir.resolve("acct/folder");
        for (int i = 1; i <= 24; i++) {
            rewrite(philips("S21570/S2010", i), root.resolve("IMG" + i + ".dcm"), "55",
                    TransferSyntax.ExplicitVRLittleEndian);
        }
        Files.write(root.resolve("empty.dcm"), new byte[0]);
        Files.writeString(root.resolve("notes.dcm"), "not a DICOM file\n");
        Files.writeString(root.resolve("README.txt"), "export notes\n");
        Path scan = dir.resolve("acct/scan");
        IngestTesting.scan(scan, key, "--folders", "--input", root.toString() + "," + IngestTesting.philips());
        JsonNode report = report(scan);
        List<Map<String, String>> rows = rows(scan);
        int byDecision = 0;
        for (JsonNode n : report.get("series_by_decision")) {
            byDecision += n.asInt();
        }
        assertEquals(rows.size(), report.get("series").asInt());
        assertEquals(rows.size(), byDecision);
        assertEquals(10, rows.size());
        JsonNode r0 = report.get("roots").get(0);
        assertEquals(1, r0.get("files_not_dicom_empty").asInt(), r0.toString());
        assertEquals(3, r0.get("files_not_dicom").asInt(), r0.toString());
        assertEquals(3, report.get("files_not_dicom").asInt(), report.toString());
    }
}
