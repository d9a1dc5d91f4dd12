package org.deepstroke.core.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.InProcessTool;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nifti-convert --reference}: a label map on a gantry-tilted (sheared) grid onto an untilted one by nearest
 * neighbour through world coordinates, values worked out by hand; unchanged when the grids agree.
 */
class NiftiConvertReferenceTest {

    /** 4x4x3 labels, value 1 + i + 4 j + 16 k, on a grid tilted by y = j + 0.5 k (mm, 1 mm voxels). */
    static Path tilted(Path dir) throws Exception {
        float[] data = new float[4 * 4 * 3];
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 4; i++) {
                    data[i + 4 * j + 16 * k] = 1 + i + 4 * j + 16 * k;
                }
            }
        }
        Affine shear = Affine.ofRows(new double[] {1, 0, 0, 0}, new double[] {0, 1, 0.5, 0}, new double[] {0, 0, 1, 0});
        Path f = dir.resolve("tilted.nii.gz");
        NiftiWriter.write(new ImageVolume(4, 4, 3, data, shear, 1), f, NiftiDatatype.UINT8);
        return f;
    }

    @Test
    void aTiltedLabelMapLandsOnTheReferenceGrid(@TempDir Path dir) throws Exception {
        Path labels = tilted(dir);
        Path reference = dir.resolve("reference.nii.gz");
        NiftiWriter.write(new ImageVolume(4, 4, 3, Affine.identity()), reference, NiftiDatatype.INT16);
        Path out = dir.resolve("out.nii.gz");
        Result r = InProcessTool.deepstroke("nifti-convert", "-i", labels.toString(), "--reference",
                reference.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        ImageVolume v = NiftiReader.read(out);
        assertEquals(4, v.nx());
        assertEquals(3, v.nz());
        // reference voxel (x, y, z) is world (x, y, z): source i = x, k = z, j = round(y - 0.5 z)
        assertEquals(1 + 1 + 4 * 2 + 16, v.get(1, 2, 1), 0);   // j = round(1.5) = 2
        assertEquals(1 + 16, v.get(0, 0, 1), 0);                // j = round(-0.5) = 0
        assertEquals(1 + 4 * 2 + 32, v.get(0, 3, 2), 0);        // j = 2
        assertEquals(0, v.get(0, 0, 2), 0);                     // j = -1: outside the source
        assertEquals(1 + 3 + 4 * 3, v.get(3, 3, 0), 0);         // untilted slice: the same voxel
        assertEquals(NiftiDatatype.UINT8.code(), NiftiReader.readHeader(out).datatypeCode());
    }

    @Test
    void theSameGridLeavesTheValuesAsTheyAre(@TempDir Path dir) throws Exception {
        Path labels = tilted(dir);
        Path out = dir.resolve("same.nii.gz");
        Result r = InProcessTool.deepstroke("nifti-convert", "-i", labels.toString(), "--reference", labels.toString(),
                "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(NiftiReader.read(labels).data(), NiftiReader.read(out).data());
    }

    @Test
    void aMissingReferenceIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path labels = tilted(dir);
        Path out = dir.resolve("never.nii.gz");
        Path missing = dir.resolve("missing.nii.gz");
        Result r = InProcessTool.deepstroke("nifti-convert", "-i", labels.toString(), "--reference", missing.toString(),
                "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("deepstroke nifti-convert: error: " + missing + ": no such file"),
                r.err().lines().filter(l -> !l.isBlank()).toList());
        assertFalse(Files.exists(out));
    }
}
