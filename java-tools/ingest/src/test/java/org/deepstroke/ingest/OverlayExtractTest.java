package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SignedShortAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiHeader;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * overlay-extract on the overlay samples (against dcm2niix's _ROI output and an independent count of the raw
 * overlay bits), legacy overlays in pixel high bits, and a tilted series whose mask must sit on exactly the CT's grid.
 */
class OverlayExtractTest {

    @TempDir
    Path dir;

    static Path sample(String name) {
        return ProjectPaths.sharedFile("dicom/overlay-samples/" + name);
    }

    Result extract(Path dicom, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("overlay-extract", "--dicom", dicom.toString(), "--output",
                out.toString()));
        args.addAll(List.of(more));
        Result run = IngestTesting.tool(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return run;
    }

    /** Set bits of an overlay group's raw data, as (row, column) on the overlay raster. */
    static List<int[]> rawBits(Path file, int group) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        int rows = Attribute.getSingleIntegerValueOrDefault(list, new AttributeTag(group, 0x0010), 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(list, new AttributeTag(group, 0x0011), 0);
        short[] words = list.get(new AttributeTag(group, 0x3000)).getShortValues();
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < rows * cols; i++) {
            if (((words[i / 16] >> (i % 16)) & 1) != 0) {
                out.add(new int[] {i / cols, i % cols});
            }
        }
        return out;
    }

    @Test
    void siemensOverlayMatchesDcm2niixRoiVoxelForVoxel() throws Exception {
        Path mask = dir.resolve("siemens.nii.gz");
        extract(sample("pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm"), mask);
        ImageVolume ours = NiftiReader.read(mask);
        ImageVolume roi = NiftiReader.read(sample("ref_dcm2niix_v1.0.20220720/MR-SIEMENS-DICOM-WithOverlays_ROI1.nii.gz"));
        assertEquals(323, count(ours));
        assertEquals(323, count(roi));
        IngestTesting.Agreement a = IngestTesting.compareWorld(ours, roi, 0.01);
        assertEquals(0.0, a.maxAbsDiff(), "same voxels set as dcm2niix's _ROI1");
        assertTrue(a.maxIndexOffset() < 0.01, "same grid: " + a.maxIndexOffset());
        assertEquals(2, NiftiReader.readHeader(mask).datatypeCode(), "uint8");
        List<String> counts = Files.readAllLines(dir.resolve("siemens_counts.tsv"));
        assertEquals(List.of("slice\tvoxels", "0\t323"), counts);
    }

    @Test
    void croppedCopyAndOutOfBoundsGroupsMatchTheRawBits() throws Exception {
        Path cropped = sample("pydicom-data/examples_overlay_from_pydicom_repo.dcm");
        extract(cropped, dir.resolve("cropped.nii.gz"));
        assertEquals(rawBits(cropped, 0x6000).size(), count(NiftiReader.read(dir.resolve("cropped.nii.gz"))));

        // Two groups, origins (704,409) and (-25,-25), 101x101 each, partly outside the 788x1318 image.
        Path oob = sample("fo-dicom/OutOfBoundsOverlay.dcm");
        Result run = extract(oob, dir.resolve("oob.nii.gz"));
        Set<Long> expected = new HashSet<>();
        long dropped = 0;
        int[][] origins = {{704, 409}, {-25, -25}};
        for (int g = 0; g < 2; g++) {
            for (int[] rc : rawBits(oob, 0x6000 + 2 * g)) {
                int row = origins[g][0] - 1 + rc[0];
                int col = origins[g][1] - 1 + rc[1];
                if (row < 0 || col < 0 || row >= 788 || col >= 1318) {
                    dropped++;
                } else {
                    expected.add((long) row * 1318 + col);
                }
            }
        }
        ImageVolume mask = NiftiReader.read(dir.resolve("oob.nii.gz"));
        Set<Long> got = new HashSet<>();
        for (int y = 0; y < mask.ny(); y++) {
            for (int x = 0; x < mask.nx(); x++) {
                if (mask.get(x, y, 0) != 0) {
                    got.add((long) y * 1318 + x);
                }
            }
        }
        assertEquals(expected, got);
        assertTrue(dropped > 0);
        JsonNode report = new ObjectMapper().readTree(dir.resolve("oob_overlay.json").toFile());
        assertEquals(dropped, report.get("set_pixels_outside_images_dropped").asLong());
        assertEquals("{\"6000\":1,\"6002\":1}", report.get("groups_used").toString());
        assertTrue(run.err().contains("6002: partly outside the image"), run.err());
    }

    @Test
    void unusableGroupsAreSkippedWithAWarning() throws Exception {
        // GH1728: overlay 567 rows for a 568-row image and data 4 bits short of 567x652: skipped (as dcm2niix).
        Result gh = extract(sample("fo-dicom/GH1728.dcm"), dir.resolve("gh.nii.gz"));
        assertTrue(gh.err().contains("overlay group 6000: overlay data holds 369680 bits"), gh.err());
        assertEquals(0, count(NiftiReader.read(dir.resolve("gh.nii.gz"))));
        // IM-0001: overlay header without (60xx,3000) and one bit allocated: nothing to extract.
        Result im = extract(sample("fo-dicom/IM-0001-0001-0001.dcm"), dir.resolve("im.nii.gz"));
        assertTrue(im.err().contains("header without overlay data"), im.err());
        ImageVolume mask = NiftiReader.read(dir.resolve("im.nii.gz"));
        assertArrayEquals(new int[] {512, 512, 1}, mask.dims());
        // A DICOMDIR whose images are all absent: a clear failure, not a crash.
        Result none = IngestTesting.tool("overlay-extract", "--dicom",
                sample("fo-dicom/DICOMDIR_only_no_images").toString(), "--output", dir.resolve("x.nii.gz").toString());
        assertEquals(1, none.exit(), none.err());
    }

    /** JPEG lossless through pixelmed-imageio: the same HU as dcm2niix decodes. */
    @Test
    void jpegLosslessDecodesAsDcm2niix() throws Exception {
        for (String name : List.of("OutOfBoundsOverlay", "IM-0001-0001-0001")) {
            Path copy = dir.resolve(name).resolve(name + ".dcm");
            Files.createDirectories(copy.getParent());
            Files.copy(sample("fo-dicom/" + name + ".dcm"), copy);
            List<Path> ref = IngestTesting.runDcm2niix(copy.getParent(), dir.resolve(name + "-ref"));
            Result run = IngestTesting.tool("dicom-to-nifti", "--dicom", copy.toString(), "--output",
                    dir.resolve(name + ".nii.gz").toString());
            assertEquals(0, run.exit(), run.err());
            ImageVolume ours = NiftiReader.read(dir.resolve(name + ".nii.gz"));
            ImageVolume theirs = NiftiReader.read(ref.get(0));
            assertArrayEquals(theirs.dims(), ours.dims());
            // dcm2niix stores rows bottom-up: compare with the rows flipped.
            double max = 0;
            for (int y = 0; y < ours.ny(); y++) {
                for (int x = 0; x < ours.nx(); x++) {
                    max = Math.max(max, Math.abs(ours.get(x, y, 0) - theirs.get(x, ours.ny() - 1 - y, 0)));
                }
            }
            assertEquals(0.0, max, name);
        }
    }

    /** A legacy overlay in bit 15 of 12-bit pixels: extracted as a mask, and masked out of the HU. */
    @Test
    void legacyOverlayInPixelHighBits() throws Exception {
        Path src = IngestTesting.philips().resolve("DICOM/S21570/S2010/I10");
        AttributeList list = new AttributeList();
        list.read(src.toFile());
        short[] pixels = list.getPixelData().getShortValues().clone();
        int set = 0;
        for (int r = 100; r < 120; r++) {
            for (int c = 200; c < 230; c++) {
                pixels[c + 512 * r] |= (short) 0x8000;
                set++;
            }
        }
        Attribute pd = new OtherWordAttribute(TagFromName.PixelData);
        pd.setValues(pixels);
        list.put(pd);
        putUs(list, new AttributeTag(0x6000, 0x0010), 512);
        putUs(list, new AttributeTag(0x6000, 0x0011), 512);
        putUs(list, new AttributeTag(0x6000, 0x0100), 16);
        putUs(list, new AttributeTag(0x6000, 0x0102), 15);
        Attribute origin = new SignedShortAttribute(new AttributeTag(0x6000, 0x0050));
        origin.addValue(1);
        origin.addValue(1);
        list.put(origin);
        Path file = dir.resolve("legacy/I1");
        Files.createDirectories(file.getParent());
        list.write(file.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        extract(file, dir.resolve("legacy.nii.gz"));
        ImageVolume mask = NiftiReader.read(dir.resolve("legacy.nii.gz"));
        assertEquals(set, count(mask));
        assertEquals(1f, mask.get(215, 110, 0));
        Result ct = IngestTesting.tool("dicom-to-nifti", "--dicom", file.toString(), "--output",
                dir.resolve("legacy_ct.nii.gz").toString());
        assertEquals(0, ct.exit(), ct.err());
        Result orig = IngestTesting.tool("dicom-to-nifti", "--dicom", src.toString(), "--output",
                dir.resolve("orig_ct.nii.gz").toString());
        assertEquals(0, orig.exit(), orig.err());
        assertArrayEquals(NiftiReader.read(dir.resolve("orig_ct.nii.gz")).data(),
                NiftiReader.read(dir.resolve("legacy_ct.nii.gz")).data(), "overlay bits never reach the HU");
    }

    /**
     * A tilted series with overlays on three slices: the mask has exactly the CT's grid (dims and affine from the
     * shared geometry), and every set overlay pixel lands on a set mask voxel at its world position.
     */
    @Test
    void tiltedSeriesMaskSitsOnTheCtGrid() throws Exception {
        Path series = IngestTesting.philips().resolve("DICOM/S21610/S2010");
        Path copy = dir.resolve("tilted");
        Files.createDirectories(copy);
        List<double[]> world = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(series)) {
            files = s.sorted().toList();
        }
        int n = 0;
        for (Path f : files) {
            Path target = copy.resolve(f.getFileName());
            if (n++ % 20 != 5) {
                Files.copy(f, target);
                continue;
            }
            AttributeList list = new AttributeList();
            list.read(f.toFile());
            short[] words = new short[512 * 512 / 16];
            double[] p = Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient);
            double[] o = Attribute.getDoubleValues(list, TagFromName.ImageOrientationPatient);
            double[] sp = Attribute.getDoubleValues(list, TagFromName.PixelSpacing);
            for (int r = 240; r < 250; r++) {
                for (int c = 300; c < 312; c++) {
                    int i = c + 512 * r;
                    words[i / 16] |= (short) (1 << (i % 16));
                    world.add(new double[] {
                        -(p[0] + c * sp[1] * o[0] + r * sp[0] * o[3]),
                        -(p[1] + c * sp[1] * o[1] + r * sp[0] * o[4]),
                        p[2] + c * sp[1] * o[2] + r * sp[0] * o[5]});
                }
            }
            putUs(list, new AttributeTag(0x6000, 0x0010), 512);
            putUs(list, new AttributeTag(0x6000, 0x0011), 512);
            putUs(list, new AttributeTag(0x6000, 0x0100), 1);
            putUs(list, new AttributeTag(0x6000, 0x0102), 0);
            Attribute origin = new SignedShortAttribute(new AttributeTag(0x6000, 0x0050));
            origin.addValue(1);
            origin.addValue(1);
            list.put(origin);
            Attribute data = new OtherWordAttribute(new AttributeTag(0x6000, 0x3000));
            data.setValues(words);
            list.put(data);
            list.write(target.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        }
        extract(copy, dir.resolve("tilted_mask.nii.gz"));
        Result ct = IngestTesting.tool("dicom-to-nifti", "--dicom", copy.toString(), "--output",
                dir.resolve("tilted_ct.nii.gz").toString());
        assertEquals(0, ct.exit(), ct.err());
        ImageVolume mask = NiftiReader.read(dir.resolve("tilted_mask.nii.gz"));
        ImageVolume image = NiftiReader.read(dir.resolve("tilted_ct.nii.gz"));
        assertArrayEquals(image.dims(), mask.dims());
        assertEquals(0.0, mask.voxelToWorld().maxDifference(image.voxelToWorld()), "the very same affine");
        NiftiHeader h = NiftiReader.readHeader(dir.resolve("tilted_mask.nii.gz"));
        assertEquals(1, h.qformCode());
        assertEquals(3 * 120, count(mask));
        Affine toVoxel = mask.voxelToWorld().inverse();
        double[] v = new double[3];
        double worst = 0;
        for (double[] w : world) {
            toVoxel.apply(w[0], w[1], w[2], v);
            int i = (int) Math.round(v[0]);
            int j = (int) Math.round(v[1]);
            int k = (int) Math.round(v[2]);
            worst = Math.max(worst, Math.abs(v[2] - k));
            assertEquals(1f, mask.get(i, j, k), "overlay pixel at its world position");
        }
        assertTrue(worst < 1e-3, "overlay slices lie on mask slices: " + worst);
    }

    static void putUs(AttributeList list, AttributeTag tag, int v) throws Exception {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(v);
        list.put(a);
    }

    static long count(ImageVolume v) {
        long n = 0;
        for (float f : v.data()) {
            if (f != 0) {
                n++;
            }
        }
        return n;
    }
}
