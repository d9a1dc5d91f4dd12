package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.ingest.scan.SeriesFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/** dicomdir-scan on the real Philips file-set: one row per series, the expected decisions, no identifier anywhere. */
class PhilipsScanTest {

    @TempDir
    static Path dir;
    static Path scan;
    static Result run;
    static List<Map<String, String>> rows;

    @BeforeAll
    static void scanOnce() throws Exception {
        scan = dir.resolve("scan");
        run = IngestTesting.scan(scan, IngestTesting.keyFile(dir), "--input", IngestTesting.philips().toString());
        rows = IngestTesting.manifest(scan);
    }

    static Map<String, String> row(String seriesNumber, String instances) {
        return rows.stream().filter(r -> r.get("series_number").equals(seriesNumber)
                && r.get("instances").equals(instances)).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + seriesNumber + " with " + instances + " instances"));
    }

    @Test
    void everySeriesHasOneRowWithItsDecision() {
        assertEquals(9, rows.size());
        assertEquals(433, rows.stream().mapToInt(r -> Integer.parseInt(r.get("instances"))).sum());
        // STD BRAIN 5 mm: accepted and preferred (closest to 5 mm).
        Map<String, String> std5 = row("201", "28");
        assertEquals("accepted", std5.get("decision"), std5.toString());
        assertEquals("yes", std5.get("preferred"));
        assertEquals("UB", std5.get("kernel"));
        assertEquals("5", std5.get("thickness_mm"));
        assertEquals("512x512x28", std5.get("dims"));
        // STD BRAIN 1 mm iDose: accepted by the default 0.5-5 mm thickness range, not preferred.
        Map<String, String> std1 = row("202", "140");
        assertEquals("accepted", std1.get("decision"), std1.toString());
        assertEquals("no", std1.get("preferred"));
        // BONE BRAIN 1 mm: bone kernel.
        Map<String, String> bone = row("203", "140");
        assertEquals("rejected", bone.get("decision"));
        assertEquals("kernel=bone_or_lung(YA)", bone.get("reasons"));
        // Localizers and Exam Summary secondary captures.
        for (Map<String, String> r : rows) {
            if (r.get("series_number").equals("100")) {
                assertEquals("rejected", r.get("decision"));
                assertTrue(r.get("reasons").startsWith("localizer"), r.toString());
            }
            if (r.get("series_number").equals("401")) {
                assertEquals("rejected", r.get("decision"));
                assertTrue(r.get("reasons").contains("sop_class=secondary-capture"), r.toString());
                assertTrue(r.get("reasons").contains("not_original_primary"), r.toString());
            }
        }
        // STEREOTAXIS with gantry tilt -18.5 / +16.5: within max_tilt_deg 30, accepted; tilt measured from positions.
        Map<String, String> tiltNeg = row("201", "54");
        assertEquals("accepted", tiltNeg.get("decision"), tiltNeg.toString());
        assertEquals("18.5", tiltNeg.get("tilt_deg"));
        assertEquals("-18.5", tiltNeg.get("gantry_tilt_header_deg"));
        assertTrue(tiltNeg.get("notes").contains("tilt_corrected_on_conversion"));
        Map<String, String> tiltPos = row("301", "58");
        assertEquals("accepted", tiltPos.get("decision"));
        assertEquals("16.5", tiltPos.get("tilt_deg"));
        assertEquals(2, rows.stream().map(r -> r.get("study")).distinct().count());
        assertEquals(1, rows.stream().map(r -> r.get("subject")).distinct().count());
        assertEquals(4, rows.stream().filter(r -> r.get("decision").equals("accepted")).count());
    }

    @Test
    void keysArePseudonymsOfTheKey() throws Exception {
        Pseudonymizer p = new Pseudonymizer(IngestTesting.KEY);
        AttributeList list = new AttributeList();
        list.read(IngestTesting.philips().resolve("DICOM/S21570/S2010/I10").toFile(), TagFromName.PixelData);
        Map<String, String> std5 = row("201", "28");
        assertEquals(p.pseudonym("subject", "sub", Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID)),
                std5.get("subject"));
        assertEquals(p.pseudonym("study", "ses", Attribute.getSingleStringValueOrEmptyString(list,
                TagFromName.StudyInstanceUID)), std5.get("study"));
        assertEquals(p.pseudonym("series", "ser", Attribute.getSingleStringValueOrEmptyString(list,
                TagFromName.SeriesInstanceUID)), std5.get("series"));
        assertTrue(std5.get("series").matches("ser-[a-z2-7]{12}"));
    }

    @Test
    void fileListsAreSortedByPositionAndResolveInsideTheRoot() throws Exception {
        Map<String, String> std1 = row("202", "140");
        List<SeriesFiles.Entry> entries = SeriesFiles.read(scan.resolve(std1.get("files")));
        assertEquals(140, entries.size());
        for (int i = 1; i < entries.size(); i++) {
            assertTrue(entries.get(i).positionMm() > entries.get(i - 1).positionMm());
        }
        List<Path> files = SeriesFiles.resolve(entries, List.of(IngestTesting.philips()));
        assertTrue(files.stream().allMatch(Files::isRegularFile));
        assertEquals(9, Files.list(scan.resolve("series")).count());
    }

    @Test
    void aMissingKeyIsAUsageErrorSayingHowToSetIt() {
        Result r = IngestTesting.tool("dicomdir-scan", "--input", IngestTesting.philips().toString(),
                "--output", dir.resolve("nokey").toString());
        if (System.getenv(Pseudonymizer.KEY_ENV) == null) {
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains(Pseudonymizer.KEY_ENV) && r.err().contains("--pseudonym-key-file"), r.err());
        }
    }

    /**
     * No identifier leaves the tools: the patient's name and ID, dates, accession number, institution and every UID
     * of the Philips data are absent from every output and log of a scan, conversions and overlay extraction.
     */
    @Test
    void noIdentifierInAnyOutputOrLog() throws Exception {
        Set<String> identifiers = new TreeSet<>();
        List<AttributeTag> tags = List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate,
                TagFromName.AccessionNumber, TagFromName.StudyDate, TagFromName.SeriesDate, TagFromName.AcquisitionDate,
                TagFromName.ContentDate, TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID,
                TagFromName.SOPInstanceUID, TagFromName.FrameOfReferenceUID, TagFromName.InstitutionName,
                TagFromName.ReferringPhysicianName, TagFromName.OperatorsName, TagFromName.StationName,
                TagFromName.DeviceSerialNumber, TagFromName.StudyID);
        try (Stream<Path> files = Files.walk(IngestTesting.philips().resolve("DICOM"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                AttributeList list = new AttributeList();
                list.read(f.toFile(), TagFromName.PixelData);
                for (AttributeTag t : tags) {
                    String v = Attribute.getSingleStringValueOrEmptyString(list, t).strip();
                    if (v.length() >= 3) {
                        identifiers.add(v);
                    }
                }
            }
        }
        assertTrue(identifiers.contains("PLASTIC"), identifiers.toString());
        assertTrue(identifiers.size() > 400, "UIDs collected: " + identifiers.size());
        // Convert and extract overlays for every accepted series, capturing the logs.
        List<String> logs = new ArrayList<>(List.of(run.out(), run.err()));
        // The 5 mm series and a tilted one (resampled path) stand for the four accepted series (test time).
        for (Map<String, String> r : List.of(row("201", "28"), row("301", "58"))) {
            Path out = dir.resolve("privacy").resolve(r.get("series") + ".nii.gz");
            Result c = IngestTesting.tool("dicom-to-nifti", "--files", scan.resolve(r.get("files")).toString(),
                    "--root", IngestTesting.philips().toString(), "--output", out.toString());
            assertEquals(0, c.exit(), c.err());
            logs.add(c.out());
            logs.add(c.err());
            Result o = IngestTesting.tool("overlay-extract", "--files", scan.resolve(r.get("files")).toString(),
                    "--root", IngestTesting.philips().toString(), "--output",
                    dir.resolve("privacy").resolve(r.get("series") + "_mask.nii.gz").toString());
            assertEquals(0, o.exit(), o.err());
            logs.add(o.out());
            logs.add(o.err());
        }
        List<String> texts = new ArrayList<>(logs);
        List<Path> outputs;
        try (Stream<Path> s = Stream.concat(Files.walk(scan), Files.walk(dir.resolve("privacy")))) {
            outputs = s.filter(Files::isRegularFile).toList();
        }
        assertTrue(outputs.size() > 20, outputs.toString());
        for (Path f : outputs) {
            String name = f.getFileName().toString();
            if (name.endsWith(".nii.gz")) {
                try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    texts.add(new String(in.readNBytes(352), StandardCharsets.ISO_8859_1)); // the header
                }
            } else {
                texts.add(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
            texts.add(name);
        }
        // Whole tokens (a short StudyID such as 2157 may occur inside an unrelated number like 0.21578).
        for (String id : identifiers) {
            java.util.regex.Pattern token = java.util.regex.Pattern.compile(
                    "(?<![0-9A-Za-z.])" + java.util.regex.Pattern.quote(id) + "(?![0-9A-Za-z])");
            for (String text : texts) {
                assertFalse(token.matcher(text).find(), "identifier '" + id + "' found in an output or log");
            }
        }
    }
}
