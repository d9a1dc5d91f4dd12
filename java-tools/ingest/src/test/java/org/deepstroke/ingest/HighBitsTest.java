package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * 12 bits stored in 16-bit words with garbage (0x0F0F) in the unused high bits: masked and sign-extended, the
 * values equal the reference NIfTIs (Ref/, dcm2niix). The inputs are Siemens mosaics (6x6 tiles of 64x64): we keep
 * the mosaic as one slice, so each tile is compared with the reference slice it became (rows flipped as dcm2niix).
 */
class HighBitsTest {

    @TempDir
    Path dir;

    @Test
    void unusedHighBitsAreMasked() {
        Path base = ProjectPaths.sharedFile("dicom/high-bits-12bit");
        for (Map.Entry<String, String> e : Map.of("12bitUnsigned", "2", "12bitUnsigned_0x0F0F", "3",
                "12bitSigned_0x0F0F", "4").entrySet()) {
            Path out = dir.resolve(e.getKey() + ".nii.gz");
            Result run = IngestTesting.tool("dicom-to-nifti", "--dicom",
                    base.resolve("In/" + e.getKey() + ".dcm").toString(), "--output", out.toString());
            assertEquals(0, run.exit(), run.err());
            ImageVolume ours = NiftiReader.read(out);
            ImageVolume ref = NiftiReader.read(base.resolve("Ref/" + e.getValue() + ".nii"));
            assertEquals(64, ref.nx());
            long compared = 0;
            for (int z = 0; z < ref.nz(); z++) {
                int tx = z % 6;
                int ty = z / 6;
                for (int y = 0; y < 64; y++) {
                    for (int x = 0; x < 64; x++) {
                        assertEquals(ref.get(x, 63 - y, z), ours.get(tx * 64 + x, ty * 64 + y, 0), e.getKey());
                        compared++;
                    }
                }
            }
            assertEquals(64 * 64 * 35, compared);
        }
    }
}
