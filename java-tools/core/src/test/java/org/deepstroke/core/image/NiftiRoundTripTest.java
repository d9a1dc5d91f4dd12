package org.deepstroke.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.deepstroke.core.cli.ToolFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NiftiRoundTripTest {

    @TempDir
    Path dir;

    /** A rotated, anisotropic, right-handed grid (as an oblique CT). */
    static Affine oblique() {
        double t = Math.toRadians(10);
        return Affine.ofRows(new double[] {0.45 * Math.cos(t), -0.45 * Math.sin(t), 0, -115.2},
                new double[] {0.45 * Math.sin(t), 0.45 * Math.cos(t), 0, -98.7},
                new double[] {0, 0, 5.0, -40.0});
    }

    static ImageVolume randomVolume(NiftiDatatype type, long seed) {
        Random random = new Random(seed);
        float[] data = new float[13 * 7 * 5];
        double lo = Math.max(type.min(), -3000);
        double hi = Math.min(type.max(), 3000);
        for (int i = 0; i < data.length; i++) {
            double v = lo + random.nextDouble() * (hi - lo);
            data[i] = (float) (type.isInteger() ? Math.rint(v) : v);
        }
        return new ImageVolume(13, 7, 5, data, oblique(), 1);
    }

    @ParameterizedTest
    @EnumSource(NiftiDatatype.class)
    void everyDatatypeRoundTripsUncompressedAndCompressed(NiftiDatatype type) throws Exception {
        ImageVolume volume = randomVolume(type, type.code());
        for (String name : new String[] {"v.nii", "v.nii.gz"}) {
            Path file = dir.resolve(type + name);
            NiftiWriter.write(volume, file, type);
            ImageVolume back = NiftiReader.read(file);
            assertArrayEquals(volume.dims(), back.dims());
            assertArrayEquals(volume.data(), back.data(), 0f, type + " " + name);
            assertTrue(back.voxelToWorld().maxDifference(volume.voxelToWorld()) < 1e-5);
            NiftiHeader h = NiftiReader.readHeader(file);
            assertEquals(type.code(), h.datatypeCode());
            assertEquals(1, h.sformCode());
            assertEquals(1, h.qformCode());
            assertTrue(h.qformAffine().maxDifference(volume.voxelToWorld()) < 1e-4, "qform agrees with sform");
        }
        assertTrue(isGzip(dir.resolve(type + "v.nii.gz")));
        assertTrue(!isGzip(dir.resolve(type + "v.nii")));
    }

    @Test
    void scaledInt16RecoversValuesThroughSlopeAndIntercept() throws Exception {
        float[] data = new float[4 * 3 * 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = -1024f + 0.5f * i;
        }
        ImageVolume volume = new ImageVolume(4, 3, 2, data, Affine.diagonal(0.5, 0.5, 5), 2);
        Path file = dir.resolve("scaled.nii.gz");
        NiftiWriter.write(volume, file, NiftiDatatype.INT16, 0.5, -1024);
        NiftiHeader h = NiftiReader.readHeader(file);
        assertEquals(0.5, h.sclSlope(), 0);
        assertEquals(-1024, h.sclInter(), 0);
        assertArrayEquals(data, NiftiReader.read(file).data(), 0f);
        assertEquals(2, NiftiReader.read(file).xformCode());
    }

    @Test
    void leftHandedAffineKeepsQformConsistent() throws Exception {
        Affine las = Affine.ofRows(new double[] {-1, 0, 0, 90}, new double[] {0, 1, 0, -126},
                new double[] {0, 0, 1, -72});
        ImageVolume volume = new ImageVolume(3, 3, 3, new float[27], las, 4);
        Path file = dir.resolve("las.nii");
        NiftiWriter.write(volume, file, NiftiDatatype.UINT8);
        NiftiHeader h = NiftiReader.readHeader(file);
        assertEquals(4, h.qformCode());
        assertTrue(h.qformAffine().maxDifference(las) < 1e-6, h.qformAffine().toString());
    }

    @Test
    void shearedAffineKeepsSformAndDisablesQform() throws Exception {
        // A gantry-tilted acquisition grid: slices shifted along y as z grows.
        Affine sheared = Affine.ofRows(new double[] {0.5, 0, 0, -100}, new double[] {0, 0.5, 1.6, -100},
                new double[] {0, 0, 4.7, -50});
        ImageVolume volume = new ImageVolume(2, 2, 2, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, sheared, 1);
        Path file = dir.resolve("tilt.nii");
        NiftiWriter.write(volume, file, NiftiDatatype.FLOAT32);
        NiftiHeader h = NiftiReader.readHeader(file);
        assertEquals(0, h.qformCode(), "a sheared affine cannot be a qform");
        assertEquals(1, h.sformCode());
        assertTrue(NiftiReader.read(file).voxelToWorld().maxDifference(sheared) < 1e-6);
    }

    @Test
    void identicalInputGivesByteIdenticalFiles() throws Exception {
        ImageVolume volume = randomVolume(NiftiDatatype.INT16, 3);
        NiftiWriter.write(volume, dir.resolve("a.nii.gz"), NiftiDatatype.INT16);
        Thread.sleep(1100); // a gzip time stamp would differ now
        NiftiWriter.write(volume, dir.resolve("b.nii.gz"), NiftiDatatype.INT16);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.nii.gz")), Files.readAllBytes(dir.resolve("b.nii.gz")));
    }

    @Test
    void compressionIsDetectedByContentNotName() throws Exception {
        ImageVolume volume = randomVolume(NiftiDatatype.FLOAT32, 5);
        Path plain = dir.resolve("p.nii");
        NiftiWriter.write(volume, plain, NiftiDatatype.FLOAT32);
        Path misnamed = dir.resolve("gzipped-but-named.nii");
        try (var out = new GZIPOutputStream(Files.newOutputStream(misnamed))) {
            out.write(Files.readAllBytes(plain));
        }
        assertArrayEquals(volume.data(), NiftiReader.read(misnamed).data(), 0f);
    }

    @Test
    void valuesOutsideTheDatatypeAreRefusedNotClipped() {
        ImageVolume volume = new ImageVolume(1, 1, 2, new float[] {10, 300}, Affine.identity(), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NiftiWriter.write(volume, dir.resolve("x.nii"), NiftiDatatype.UINT8));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("x.nii")), "no partial output");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the temporary file is removed");
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void truncatedFileFailsWithFileAndReason() throws Exception {
        Path file = dir.resolve("t.nii");
        NiftiWriter.write(randomVolume(NiftiDatatype.INT16, 1), file, NiftiDatatype.INT16);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        ToolFailure e = assertThrows(ToolFailure.class, () -> NiftiReader.read(file));
        // checked against the file size before the volume is allocated (issue 16)
        assertEquals(file + ": truncated NIfTI file: the header's 13x7x5 int16 voxels need 1262 bytes, the file holds "
                + "1252", e.oneLine());
    }

    @Test
    void nonNiftiInputFailsWithFileAndReason() throws Exception {
        Path file = dir.resolve("notes.nii");
        Files.writeString(file, "x".repeat(400));
        ToolFailure e = assertThrows(ToolFailure.class, () -> NiftiReader.read(file));
        assertEquals(file + ": not a NIfTI-1 file (sizeof_hdr is not 348)", e.oneLine());
        Path missing = dir.resolve("absent.nii.gz");
        assertEquals(missing + ": no such file", assertThrows(ToolFailure.class, () -> NiftiReader.read(missing)).oneLine());
    }

    private static boolean isGzip(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        return (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }
}
