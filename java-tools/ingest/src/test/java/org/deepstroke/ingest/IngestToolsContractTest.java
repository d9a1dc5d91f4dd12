package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.testing.HostileInputs;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.deepstroke.ingest.TestFileSets.Rec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 against the ingest tools: outputs never overwrite inputs or each other nor land in a DICOM input
 * folder (item 5), geometry errors name the slice's file and allocation bombs are refused before allocating
 * (items 7, 9), and a fuzz corpus of broken DICOM files and DICOMDIRs keeps the failure contract: dicom-to-nifti
 * and overlay-extract exit 1 or 2 with one line naming the file, no stack trace, no output, inputs unchanged;
 * dicomdir-scan either fails so or loses nothing (every file a manifest instance or counted in scan-report.json).
 */
class IngestToolsContractTest {

    @TempDir
    static Path dir;
    static Path key;
    static Path series;
    static byte[] slice1;

    static Path philips(int image) {
        return IngestTesting.philips().resolve("DICOM/S21570/S2010/I" + (image * 10));
    }

    @BeforeAll
    static void prepare() throws Exception {
        key = IngestTesting.keyFile(dir);
        series = Files.createDirectories(dir.resolve("series"));
        for (int i = 1; i <= 4; i++) {
            Files.copy(philips(i), series.resolve("IM" + i));
        }
        slice1 = Files.readAllBytes(philips(1));
    }

    static void assertUsage(Result run, Path named, String reason) {
        assertEquals(2, run.exit(), run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).contains(named.toString()) && lines.get(0).contains(reason), run.err());
    }

    /** Item 5: every way an output could replace an input or another output is refused; nothing changes. */
    @Test
    void outputsNeverReplaceInputsOrEachOther() throws Exception {
        Map<Path, String> before = HostileInputs.checksums(series);
        Path intoSource = series.resolve("IM1.nii");
        assertUsage(IngestTesting.tool("dicom-to-nifti", "--dicom", series.toString(), "-o", intoSource.toString()),
                intoSource, "inside the input folder");
        Path overSource = series.resolve("IM1");
        assertUsage(IngestTesting.tool("dicom-to-nifti", "--dicom", overSource.toString(), "-o",
                overSource + ".nii", "--sidecar", overSource.toString()), overSource, "would overwrite it");
        Path a = dir.resolve("out5/a.nii.gz");
        assertUsage(IngestTesting.tool("dicom-to-nifti", "--dicom", series.toString(), "-o", a.toString(),
                "--sidecar", a.toString()), a, "one output would overwrite the other");
        assertUsage(IngestTesting.tool("overlay-extract", "--dicom", series.toString(), "-o", a.toString(),
                "--counts", a.toString()), a, "one output would overwrite the other");
        Path txt = dir.resolve("out5/x.txt");
        assertUsage(IngestTesting.tool("dicom-to-nifti", "--dicom", series.toString(), "-o", txt.toString()), txt,
                ".nii or .nii.gz");
        Path scanInside = IngestTesting.philips().resolve("scan");
        assertUsage(IngestTesting.tool("dicomdir-scan", "--pseudonym-key-file", key.toString(), "--input",
                IngestTesting.philips().toString(), "-o", scanInside.toString()), scanInside, "lies inside the input folder");
        assertEquals(before, HostileInputs.checksums(series));
        assertFalse(Files.exists(dir.resolve("out5")));
    }

    /** Item 9: a slice with another orientation or pixel spacing is named, not just "the series". */
    @Test
    void geometryErrorsNameTheSlice() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("mixed"));
        for (int i = 1; i <= 3; i++) {
            Files.copy(philips(i), folder.resolve("IM" + i));
        }
        AttributeList list = new AttributeList();
        list.read(philips(4).toFile());
        DecimalStringAttribute spacing = new DecimalStringAttribute(TagFromName.PixelSpacing);
        spacing.addValue(0.7);
        spacing.addValue(0.7);
        list.put(spacing);
        Path odd = folder.resolve("IM4");
        list.write(odd.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        Path out = dir.resolve("mixed.nii.gz");
        Result run = IngestTesting.tool("dicom-to-nifti", "--dicom", folder.toString(), "-o", out.toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().strip().contains(odd + ": series rejected (mixed_pixel_spacing)"), run.err());
        assertFalse(Files.exists(out));
    }

    /** Item 7: rows x columns beyond the file, or a Pixel Data length beyond it, fail before allocating. */
    @Test
    void dicomAllocationBombsAreRefused() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("bomb"));
        AttributeList list = new AttributeList();
        list.read(philips(1).toFile());
        list.get(TagFromName.Rows).setValue(30000);
        list.get(TagFromName.Columns).setValue(30000);
        Path big = folder.resolve("BIG");
        list.write(big.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        Result run = IngestTesting.tool("dicom-to-nifti", "--dicom", big.toString(), "-o",
                dir.resolve("bomb1.nii").toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains(big + ": truncated"), run.err());
        // a Pixel Data element whose length says 2 GB in a 0.5 MB file
        byte[] b = slice1.clone();
        int at = indexOf(b, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W'});
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 8, 0x7FFFFFF0);
        Path vl = folder.resolve("VL");
        Files.write(vl, b);
        Result run2 = IngestTesting.tool("dicom-to-nifti", "--dicom", vl.toString(), "-o",
                dir.resolve("bomb2.nii").toString());
        assertEquals(1, run2.exit(), run2.err());
        assertTrue(run2.err().contains(vl.toString()), run2.err());
        assertFalse(run2.err().contains("OutOfMemory"), run2.err());
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /**
     * Fuzz: slice 1 of a 4-slice series truncated at 30 offsets, with 40 bit flips and 20 random runs in its header
     * (random tags, lengths, VRs); dicom-to-nifti and overlay-extract either convert (the change hit a value nothing
     * uses) or fail cleanly naming the file. Every truncation must fail.
     */
    @Test
    void brokenDicomFilesFailCleanly() throws Exception {
        int pixelData = indexOf(slice1, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W'});
        List<HostileInputs.Case> corpus = new ArrayList<>(HostileInputs.truncations(slice1, 30));
        corpus.addAll(HostileInputs.bitFlips(slice1, 0, pixelData + 12, 40, 61));
        corpus.addAll(HostileInputs.randomRuns(slice1, 132, pixelData, 6, 20, 62));
        Path fuzz = Files.createDirectories(dir.resolve("fuzz"));
        Path outs = Files.createDirectories(dir.resolve("fuzz-out"));
        int failures = 0;
        for (HostileInputs.Case c : corpus) {
            Path folder = Files.createDirectories(fuzz.resolve(c.name()));
            Path broken = folder.resolve("A-broken");
            Files.write(broken, c.bytes());
            for (int i = 2; i <= 4; i++) {
                Files.copy(philips(i), folder.resolve("IM" + i));
            }
            List<String> files = new ArrayList<>(List.of(broken.toString()));
            for (int i = 2; i <= 4; i++) {
                files.add(folder.resolve("IM" + i).toString());
            }
            Map<Path, String> before = HostileInputs.checksums(folder);
            Path nii = outs.resolve(c.name() + ".nii.gz");
            Path json = outs.resolve(c.name() + ".json");
            Path mask = outs.resolve(c.name() + "-mask.nii.gz");
            List<String> convert = new ArrayList<>(List.of("dicom-to-nifti", "-o", nii.toString(), "--dicom"));
            convert.addAll(files);
            List<String> overlay = new ArrayList<>(List.of("overlay-extract", "-o", mask.toString(), "--dicom"));
            overlay.addAll(files);
            Result r1 = IngestTesting.tool(convert.toArray(String[]::new));
            Result r2 = IngestTesting.tool(overlay.toArray(String[]::new));
            boolean mustFail = c.name().startsWith("truncated") || c.name().equals("empty");
            if (mustFail) {
                assertTrue(r1.exit() != 0, c.name() + " converted");
            }
            if (r1.exit() != 0) {
                HostileInputs.assertCleanFailure(c.name() + " dicom-to-nifti", r1, broken, List.of(nii, json), before);
                failures++;
            }
            if (r2.exit() != 0) {
                HostileInputs.assertCleanFailure(c.name() + " overlay-extract", r2, broken,
                        List.of(mask, outs.resolve(c.name() + "-mask_counts.tsv")), before);
            }
        }
        HostileInputs.assertNoTemporaries(outs);
        assertTrue(failures >= 31, failures + " failures");
    }

    /**
     * Fuzz for the scan: a DICOMDIR of the 4-slice series truncated at 20 offsets and with 30 bit flips. The scan
     * either fails cleanly or loses nothing: the series is a manifest row, accepted with its 4 instances or
     * rejected with a reason; inputs unchanged.
     */
    @Test
    void brokenDicomdirsLoseNothing() throws Exception {
        Path root = Files.createDirectories(dir.resolve("scanfuzz/root"));
        List<Rec> recs = new ArrayList<>(List.of(Rec.patient(),
                Rec.study(TestFileSets.value(philips(1), TagFromName.StudyInstanceUID)),
                Rec.series(TestFileSets.value(philips(1), TagFromName.SeriesInstanceUID))));
        for (int i = 1; i <= 4; i++) {
            Files.copy(philips(i), root.resolve("IM" + i));
            recs.add(Rec.image("IM" + i));
        }
        TestFileSets.writeDicomdir(root.resolve("DICOMDIR"), recs);
        byte[] dicomdir = Files.readAllBytes(root.resolve("DICOMDIR"));
        List<HostileInputs.Case> corpus = new ArrayList<>(HostileInputs.truncations(dicomdir, 20));
        corpus.addAll(HostileInputs.bitFlips(dicomdir, 128, dicomdir.length, 30, 71));
        int n = 0;
        for (HostileInputs.Case c : corpus) {
            Files.write(root.resolve("DICOMDIR"), c.bytes());
            Map<Path, String> before = HostileInputs.checksums(root);
            Path out = dir.resolve("scanfuzz/out" + n++);
            Result run = IngestTesting.tool("dicomdir-scan", "--pseudonym-key-file", key.toString(), "--input",
                    root.toString(), "-o", out.toString());
            if (run.exit() != 0) {
                HostileInputs.assertCleanFailure(c.name() + " dicomdir-scan", run, root.resolve("DICOMDIR"),
                        List.of(out.resolve("manifest.tsv")), before);
                continue;
            }
            assertFalse(run.err().contains("\tat "), c.name() + run.err());
            assertEquals(before, HostileInputs.checksums(root), c.name());
            List<Map<String, String>> rows = IngestTesting.manifest(out);
            assertFalse(rows.isEmpty(), c.name() + ": series lost\n" + run.err());
            for (Map<String, String> r : rows) {
                boolean whole = r.get("instances").equals("4");
                assertTrue(whole || (r.get("decision").equals("rejected") && !r.get("reasons").isEmpty()),
                        c.name() + ": " + r);
            }
            // every file is a manifest instance or counted as not in the (damaged) DICOMDIR
            int unlisted = IngestTesting.report(out).get("roots").get(0).path("files_not_in_dicomdir").asInt();
            assertEquals(4, rows.stream().mapToInt(r -> Integer.parseInt(r.get("instances"))).sum() + unlisted,
                    c.name() + ": instances lost " + rows);
        }
    }
}
