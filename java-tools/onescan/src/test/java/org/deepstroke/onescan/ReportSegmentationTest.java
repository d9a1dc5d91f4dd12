package org.deepstroke.onescan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ASPECTS labels as a DICOM Segmentation over a pseudonymous CT copy, on a small synthetic volume whose affine
 * flips x (RAS x decreases with i) and is offset: dicom3tools' dciodvfy finds no error, DCMTK's dcmdump reads the
 * SEG, PixelMed's reading rebuilds the label map voxel for voxel, the CT copy keeps geometry and HU. 25 x 19 pixels
 * make a frame 475 bits, so frames do not start on byte boundaries: the packing is tested across them. A second SEG
 * adds a hand-made lesion map (overlapping regions, on slices 1, 2 and 5): one more segment with the SNOMED codes of
 * an infarct, its frames rebuilding the map voxel for voxel.
 */
class ReportSegmentationTest {

    static final String SUBJECT = "sub-4f2a9c1e";
    static final String STUDY = "stu-91b0d2";
    static final String SERIES = "ser-77c3e5";
    static final int NX = 25;
    static final int NY = 19;
    static final int NZ = 6;

    @TempDir
    static Path dir;
    static ImageVolume ct;
    static ImageVolume labels;
    static Path ctDir;
    static Path seg;
    static ImageVolume lesion;
    static Path lesionSeg;

    @BeforeAll
    static void write() throws Exception {
        Affine a = Affine.ofRows(new double[] {-0.5, 0, 0, 60.25}, new double[] {0, 0.6, 0, -40.5},
                new double[] {0, 0, 5, -12});
        ct = new ImageVolume(NX, NY, NZ, a);
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    ct.set(i, j, k, 30.4f + i - 2.6f * j + 10 * k);
                }
            }
        }
        ct.set(3, 4, 2, 40000f); // beyond 16 bits: clamped
        ct.set(4, 4, 2, -1024.5f);
        labels = ct.blankLike();
        block(AspectsRegion.M1_L, 0, 1, 2, 9, 3, 11);
        block(AspectsRegion.C_R, 0, 0, 14, 20, 5, 7);
        block(AspectsRegion.I_R, 1, 1, 15, 24, 10, 18);
        // slice 2: no label
        block(AspectsRegion.M4_L, 3, 3, 0, 12, 0, 18);
        block(AspectsRegion.M4_R, 3, 4, 13, 24, 1, 17);
        block(AspectsRegion.L_L, 5, 5, 7, 7, 9, 9); // a single voxel
        labels.set(8, 2, 1, AspectsRegion.M1_L.id()); // ragged edge
        ctDir = dir.resolve(SUBJECT + "_ct");
        seg = dir.resolve(SUBJECT + "_labels_seg.dcm");
        ReportSegmentation.write(ct, labels, ctDir, seg, SUBJECT, STUDY, SERIES);
        lesion = ct.blankLike();
        for (int j = 4; j <= 12; j++) {
            for (int i = 2; i <= 16; i++) {
                lesion.set(i, j, 1, 1); // over M1_L, C_R and unlabelled voxels
            }
        }
        lesion.set(0, 0, 2, 1); // the slice without labels: the first pixel of a frame
        lesion.set(NX - 1, NY - 1, 5, 1); // the last pixel of the last frame
        lesionSeg = dir.resolve(SUBJECT + "_lesion_seg.dcm");
        ReportSegmentation.write(ct, labels, lesion, dir.resolve("lesion_ct"), lesionSeg, SUBJECT, STUDY, SERIES);
    }

    static void block(AspectsRegion r, int k0, int k1, int i0, int i1, int j0, int j1) {
        for (int k = k0; k <= k1; k++) {
            for (int j = j0; j <= j1; j++) {
                for (int i = i0; i <= i1; i++) {
                    labels.set(i, j, k, r.id());
                }
            }
        }
    }

    static Path ctSlice(int k) {
        return ctDir.resolve(String.format("%s_ct_%04d.dcm", SUBJECT, k + 1));
    }

    @Test
    void dciodvfyFindsNoError() {
        for (Path f : List.of(seg, ctSlice(2), lesionSeg)) {
            String verdict = run(AspectsScanTest.onPath("dciodvfy", "apt-get install -y dicom3tools").toString(), f);
            assertFalse(verdict.contains("Error"), f + ":\n" + verdict);
        }
    }

    @Test
    void dcmdumpReadsTheSegmentation() throws Exception {
        String dump = run(ProjectPaths.tool("dicom-tools/bin/dcmdump").toString(), seg);
        assertTrue(dump.contains("(0008,0016) UI =SegmentationStorage"), dump);
        assertTrue(dump.contains("(0062,0001) CS [BINARY]"), dump);
        // regions present: L_L, M1_L, M4_L, C_R, I_R, M4_R; frames: 1 + 2 + 1 + 1 + 1 + 2
        assertEquals(6, count(dump, "(0062,0004) US"), dump);
        assertTrue(dump.contains("(0028,0008) IS [8]"), dump);
        assertTrue(dump.contains("Research use only, not a medical device"), dump);
        assertTrue(dump.contains("(0010,0020) LO [" + SUBJECT + "]"), dump);
        String study = ReportDicom.studyUid(SUBJECT, STUDY);
        assertTrue(dump.contains("\n(0020,000d) UI [" + study + "]"), dump);
        assertEquals(study, read(ctSlice(0)).get(TagFromName.StudyInstanceUID).getSingleStringValueOrEmptyString());
        assertEquals(NZ, count(dump, "(0008,1155) UI [") - 8, "every CT slice referenced once, plus 8 frames");
    }

    @Test
    void pixelMedRebuildsTheLabelMap() throws Exception {
        AttributeList l = read(seg);
        assertArrayEquals(labels.data(), rebuild(l, regionIds(l)));
    }

    @Test
    void lesionIsOneMoreSegmentWithTheCodesOfAnInfarct() throws Exception {
        AttributeList l = read(lesionSeg);
        SequenceAttribute segments = (SequenceAttribute) l.get(TagFromName.SegmentSequence);
        assertEquals(7, segments.getNumberOfItems(), "6 regions + the lesion");
        AttributeList s = segments.getItem(6).getAttributeList();
        assertEquals(7, Attribute.getSingleIntegerValueOrDefault(s, TagFromName.SegmentNumber, 0));
        assertEquals("Early ischaemic change (U-Net lesion head)",
                Attribute.getSingleStringValueOrEmptyString(s, TagFromName.SegmentLabel));
        assertEquals("AUTOMATIC", Attribute.getSingleStringValueOrEmptyString(s, TagFromName.SegmentAlgorithmType));
        assertCode(s, TagFromName.SegmentedPropertyCategoryCodeSequence, "49755003",
                "Morphologically Altered Structure");
        assertCode(s, TagFromName.SegmentedPropertyTypeCodeSequence, "55641003", "Infarct");
        assertEquals("11", Attribute.getSingleStringValueOrEmptyString(l, TagFromName.NumberOfFrames),
                "8 region frames + lesion frames on slices 1, 2 and 5 only");
    }

    @Test
    void lesionFramesRebuildTheLesionMapAndRegionsStayAsTheyWere() throws Exception {
        AttributeList l = read(lesionSeg);
        int[] lesionOnly = new int[8];
        lesionOnly[7] = 1;
        assertArrayEquals(lesion.data(), rebuild(l, lesionOnly));
        assertArrayEquals(labels.data(), rebuild(l, regionIds(l)));
    }

    @Test
    void emptyLesionMapKeepsItsSegmentWithoutFrames() throws Exception {
        Path empty = dir.resolve("empty_lesion_seg.dcm");
        ReportSegmentation.write(ct, labels, ct.blankLike(), dir.resolve("empty_ct"), empty, SUBJECT, STUDY, SERIES);
        AttributeList l = read(empty);
        assertEquals(7, ((SequenceAttribute) l.get(TagFromName.SegmentSequence)).getNumberOfItems());
        assertEquals("8", Attribute.getSingleStringValueOrEmptyString(l, TagFromName.NumberOfFrames));
        String verdict = run(AspectsScanTest.onPath("dciodvfy", "apt-get install -y dicom3tools").toString(), empty);
        assertFalse(verdict.contains("Error"), verdict);
    }

    static void assertCode(AttributeList item, AttributeTag sequence, String value, String meaning) {
        AttributeList code = inner(item, sequence);
        assertEquals(value, Attribute.getSingleStringValueOrEmptyString(code, TagFromName.CodeValue));
        assertEquals("SCT", Attribute.getSingleStringValueOrEmptyString(code, TagFromName.CodingSchemeDesignator));
        assertEquals(meaning, Attribute.getSingleStringValueOrEmptyString(code, TagFromName.CodeMeaning));
    }

    /** The label id of every region segment by its SegmentLabel ("M1 L"); 0 for other segments (the lesion). */
    static int[] regionIds(AttributeList l) {
        SequenceAttribute segments = (SequenceAttribute) l.get(TagFromName.SegmentSequence);
        int[] idOfSegment = new int[segments.getNumberOfItems() + 1];
        for (int n = 0; n < segments.getNumberOfItems(); n++) {
            AttributeList s = segments.getItem(n).getAttributeList();
            String[] label = Attribute.getSingleStringValueOrEmptyString(s, TagFromName.SegmentLabel).split(" ");
            idOfSegment[Attribute.getSingleIntegerValueOrDefault(s, TagFromName.SegmentNumber, 0)] =
                    AspectsRegion.find(label[0], label[1]).map(AspectsRegion::id).orElse(0);
        }
        return idOfSegment;
    }

    /** The volume the frames paint, each segment's voxels set to valueOfSegment[segment] (0: that segment left out). */
    static float[] rebuild(AttributeList l, int[] valueOfSegment) throws Exception {
        byte[] bits = l.get(TagFromName.PixelData).getByteValues();
        SequenceAttribute frames = (SequenceAttribute) l.get(TagFromName.PerFrameFunctionalGroupsSequence);
        float[] rebuilt = new float[labels.size()];
        long n = 0;
        for (int f = 0; f < frames.getNumberOfItems(); f++) {
            AttributeList group = frames.getItem(f).getAttributeList();
            int segment = Attribute.getSingleIntegerValueOrDefault(
                    inner(group, TagFromName.SegmentIdentificationSequence), TagFromName.ReferencedSegmentNumber, 0);
            int k = sliceAt(inner(group, TagFromName.PlanePositionSequence).get(TagFromName.ImagePositionPatient)
                    .getDoubleValues());
            for (int r = 0; r < NY; r++) {
                for (int c = 0; c < NX; c++, n++) {
                    if ((bits[(int) (n / 8)] >> (n % 8) & 1) == 1 && valueOfSegment[segment] != 0) {
                        assertEquals(0f, rebuilt[labels.index(c, r, k)], "two segments on one voxel");
                        rebuilt[labels.index(c, r, k)] = valueOfSegment[segment];
                    }
                }
            }
        }
        return rebuilt;
    }

    @Test
    void ctCopyKeepsGeometryAndHu() throws Exception {
        for (int k = 0; k < NZ; k++) {
            AttributeList l = read(ctSlice(k));
            double[] ras = ct.voxelToWorld().apply(0, 0, k);
            assertArrayEquals(new double[] {-ras[0], -ras[1], ras[2]},
                    l.get(TagFromName.ImagePositionPatient).getDoubleValues(), 1e-3);
            assertArrayEquals(new double[] {1, 0, 0, 0, -1, 0},
                    l.get(TagFromName.ImageOrientationPatient).getDoubleValues(), 1e-9);
            assertArrayEquals(new double[] {0.6, 0.5}, l.get(TagFromName.PixelSpacing).getDoubleValues(), 1e-9);
            short[] stored = l.get(TagFromName.PixelData).getShortValues();
            for (int r = 0; r < NY; r++) {
                for (int c = 0; c < NX; c++) {
                    long hu = Math.min(Short.MAX_VALUE, Math.round(ct.get(c, r, k)));
                    assertEquals(hu, stored[r * NX + c], "slice " + k + " row " + r + " column " + c);
                }
            }
        }
    }

    @Test
    void onlyThePseudonymIdentifies() throws Exception {
        for (Path f : List.of(seg, ctSlice(0))) {
            AttributeList l = read(f);
            assertEquals(SUBJECT, Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientID));
            assertEquals(SUBJECT + "^", Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientName));
            assertEquals("", Attribute.getSingleStringValueOrEmptyString(l, TagFromName.PatientBirthDate));
            assertTrue(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID).startsWith("2.25."));
        }
        assertEquals(read(ctSlice(0)).get(TagFromName.FrameOfReferenceUID).getSingleStringValueOrEmptyString(),
                read(seg).get(TagFromName.FrameOfReferenceUID).getSingleStringValueOrEmptyString());
    }

    @Test
    void refusesLabelsOnAnotherGrid() {
        ImageVolume shifted = new ImageVolume(NX, NY, NZ, labels.data(), labels.voxelToWorld().translate(0, 0, 2.5),
                1);
        assertThrows(IllegalArgumentException.class, () -> ReportSegmentation.write(ct, shifted,
                dir.resolve("other_ct"), dir.resolve("other_seg.dcm"), SUBJECT, STUDY, SERIES));
        assertFalse(Files.exists(dir.resolve("other_ct")));
    }

    static int sliceAt(double[] lps) {
        for (int k = 0; k < NZ; k++) {
            double[] ras = ct.voxelToWorld().apply(0, 0, k);
            if (Math.abs(lps[0] + ras[0]) < 1e-3 && Math.abs(lps[1] + ras[1]) < 1e-3
                    && Math.abs(lps[2] - ras[2]) < 1e-3) {
                return k;
            }
        }
        throw new AssertionError("no slice at " + java.util.Arrays.toString(lps));
    }

    static AttributeList inner(AttributeList group, AttributeTag sequence) {
        return SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(group, sequence);
    }

    static AttributeList read(Path f) throws Exception {
        AttributeList l = new AttributeList();
        l.read(f.toFile());
        return l;
    }

    static String run(String program, Path file) {
        Subprocess.Result r = Subprocess.run(List.of(program, file.toString()), dir, Map.of(), Duration.ofMinutes(1));
        return r.stdout() + r.stderr();
    }

    static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void contentTimeFollowsSourceDateEpochSoThatRunsCanBeByteIdentical() {
        assertEquals(java.time.ZonedDateTime.of(1970, 1, 2, 0, 0, 1, 0, java.time.ZoneOffset.UTC),
                SegmentationObject.made("86401"));
        java.time.ZonedDateTime before = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1);
        assertTrue(SegmentationObject.made(null).isAfter(before));
        assertTrue(SegmentationObject.made("not a number").isAfter(before));
    }
}
