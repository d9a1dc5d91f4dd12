package org.deepstroke.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deepstroke.core.testing.Nibabel;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our reader against nibabel as the independent client: same shape, affine within 1e-5 and every voxel, for every
 * NIfTI of the shared atlases, for nibabel's own fixtures (big-endian, scaled, qform-only, 4-D with one volume)
 * and for files our writer produces.
 */
class NiftiNibabelAgreementTest {

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> sharedAtlasFilesReadAsNibabelReadsThem() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ProjectPaths.sharedFile("atlas"))) {
            files = walk.filter(p -> p.toString().endsWith(".nii.gz") || p.toString().endsWith(".nii")).sorted().toList();
        }
        assertEquals(27, files.size(), "the 20 ASPECTS masks, 5 muschelli and 2 Rorden volumes");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> assertAgree(f)));
    }

    @TestFactory
    Stream<DynamicTest> nibabelWrittenFixturesReadIdentically() {
        return Nibabel.writeFixtures(dir).stream()
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> assertAgree(f)));
    }

    @TestFactory
    Stream<DynamicTest> filesWeWriteAreReadIdenticallyByNibabel() throws Exception {
        List<Path> written = new ArrayList<>();
        for (NiftiDatatype type : NiftiDatatype.values()) {
            if (type == NiftiDatatype.UINT64) {
                continue; // nibabel does not load uint64 NIfTI
            }
            Path f = dir.resolve("ours_" + type.name().toLowerCase() + (type.code() % 2 == 0 ? ".nii.gz" : ".nii"));
            NiftiWriter.write(NiftiRoundTripTest.randomVolume(type, 11), f, type);
            written.add(f);
        }
        Path scaled = dir.resolve("ours_int16_scaled.nii.gz");
        NiftiWriter.write(NiftiRoundTripTest.randomVolume(NiftiDatatype.FLOAT32, 2), scaled, NiftiDatatype.INT16, 0.25, -10);
        written.add(scaled);
        Affine sheared = Affine.ofRows(new double[] {0.5, 0, 0, -100}, new double[] {0, 0.5, 1.6, -100},
                new double[] {0, 0, 4.7, -50});
        Path tilted = dir.resolve("ours_sheared.nii");
        NiftiWriter.write(new ImageVolume(13, 7, 5, NiftiRoundTripTest.randomVolume(NiftiDatatype.INT16, 4).data(),
                sheared, 1), tilted, NiftiDatatype.INT16);
        written.add(tilted);
        return written.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> assertAgree(f)));
    }

    static void assertAgree(Path file) {
        ImageVolume ours = NiftiReader.read(file);
        Nibabel.Reading theirs = Nibabel.read(file);
        int[] shape = theirs.shape();
        for (int i = 3; i < shape.length; i++) {
            assertEquals(1, shape[i], "only single-volume images are compared");
        }
        assertEquals(ours.nx(), shape[0]);
        assertEquals(ours.ny(), shape[1]);
        assertEquals(ours.nz(), shape[2]);
        double[][] rows = ours.voxelToWorld().rows();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(theirs.affine()[i][j], rows[i][j], 1e-5, "affine[" + i + "][" + j + "] of " + file);
            }
        }
        float[] data = ours.data();
        double[] ref = theirs.data();
        assertEquals(ref.length, data.length);
        int mismatches = 0;
        for (int i = 0; i < ref.length; i++) {
            // Exact for every type whose values a float holds exactly; float64 sources differ by float rounding.
            if (Math.abs(data[i] - ref[i]) > 1e-6 * Math.max(1, Math.abs(ref[i])) && mismatches++ < 1) {
                fail(file + ": voxel " + i + " ours " + data[i] + " nibabel " + ref[i]);
            }
        }
        assertFalse(mismatches > 0);
    }
}
