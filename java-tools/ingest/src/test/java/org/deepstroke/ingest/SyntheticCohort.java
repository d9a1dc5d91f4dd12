package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * A small synthetic cohort from `deepstroke phantom` (in-process): DIR/dicom/DICOMDIR and DIR/truth/. Its ASPECTS
 * label map is a crude stand-in made here (ten bands per hemisphere inside the 2 mm template's brain): the ingest
 * tests need the DICOM and the overlay truth, not anatomy.
 */
final class SyntheticCohort {

    private SyntheticCohort() {
    }

    static Path generate(Path dir, Path keyFile, int subjects) throws Exception {
        Path atlas = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm");
        ImageVolume template = NiftiReader.read(atlas.resolve("template_2mm.nii.gz"));
        float[] labels = new float[template.size()];
        int zlo = template.nz() * 2 / 5;
        int zhi = template.nz() * 3 / 4;
        for (int z = zlo; z < zhi; z++) {
            for (int y = 0; y < template.ny(); y++) {
                for (int x = 0; x < template.nx(); x++) {
                    if (template.get(x, y, z) > 0) {
                        int band = Math.min(4, y * 5 / template.ny()) + (z >= (zlo + zhi) / 2 ? 5 : 0);
                        labels[template.index(x, y, z)] = (x < template.nx() / 2 ? 1 : 11) + band;
                    }
                }
            }
        }
        Path labelFile = dir.resolve("aspects_labels.nii.gz");
        NiftiWriter.write(template.withData(labels), labelFile, NiftiDatatype.UINT8);
        Path out = dir.resolve("cohort");
        Result run = IngestTesting.tool("phantom", "--template-with-skull",
                atlas.resolve("template_with_skull_2mm.nii.gz").toString(), "--labels", labelFile.toString(),
                "--template", atlas.resolve("template_2mm.nii.gz").toString(), "--subjects", String.valueOf(subjects),
                "--matrix", "128", "--thin-coverage", "slab", "--overlay-share", "0.5", "--tilt-share", "0.5",
                "--threads", "2", "--output-dir", out.toString(), "--pseudonym-key-file", keyFile.toString());
        assertEquals(0, run.exit(), run.err());
        if (!Files.isRegularFile(out.resolve("dicom/DICOMDIR"))) {
            throw new AssertionError("phantom wrote no DICOMDIR: " + run.err());
        }
        return out;
    }
}
