package org.deepstroke.onescan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lesion map as aspects-scan writes it: moved onto the CT's exact grid when its header differs by a rounding
 * (the Segmenter read the CT back from NIfTI), its volume in ml, and the NIfTI file reading back as 0/1.
 */
class LesionMapTest {

    @TempDir
    Path dir;

    @Test
    void onTheCtGridWithItsVolumeAndWrittenAsZeroOne() throws Exception {
        ImageVolume ct = new ImageVolume(4, 3, 2, Affine.ofRows(new double[] {2, 0, 0, -3},
                new double[] {0, 2, 0, 7}, new double[] {0, 0, 5, 1}));
        float[] voxels = new float[ct.size()];
        voxels[0] = 1;
        voxels[5] = 1;
        voxels[ct.size() - 1] = 1;
        ImageVolume lesion = new ImageVolume(4, 3, 2, voxels, ct.voxelToWorld().translate(0.004, 0, 0), 1);

        LesionMap m = LesionMap.of(lesion, ct);
        assertTrue(m.map().sameGrid(ct, 1e-9), "the CT's exact grid, as the SEG needs");
        assertArrayEquals(voxels, m.map().data());
        assertEquals(3 * 2 * 2 * 5 / 1000.0, m.ml(), 1e-12);

        Path file = dir.resolve("s_lesion.nii.gz");
        m.write(file);
        ImageVolume back = NiftiReader.read(file);
        assertArrayEquals(voxels, back.data());
        assertTrue(back.sameGrid(ct, 1e-4));
    }
}
