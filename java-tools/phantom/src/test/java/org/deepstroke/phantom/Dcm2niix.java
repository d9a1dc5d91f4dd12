package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;

/** dcm2niix (the venv's pinned wheel) as the reference converter of an untilted NCCT series. */
final class Dcm2niix {

    private Dcm2niix() {
    }

    /**
     * Converts the subject's NCCT series (its files copied apart) with dcm2niix and checks, through world
     * coordinates, that every output voxel is a voxel of the truth grid and holds the HU PixelMed reads from the
     * DICOM pixel (dcm2niix may reorder axes; its sform decides).
     */
    static void checkAgainstTruth(Path cohort, Path subject, Path work) throws Exception {
        JsonNode truth = TestCohorts.truth(subject);
        String uid = truth.get("truth_grid").get("series_instance_uid").asText();
        List<Path> files = DicomRead.seriesFiles(cohort.resolve("dicom"), uid);
        Path in = Files.createDirectories(work.resolve("ncct-in"));
        Path out = Files.createDirectories(work.resolve("ncct-out"));
        for (Path f : files) {
            Files.copy(f, in.resolve(f.getFileName()));
        }
        Subprocess.Result r = Subprocess.check(List.of(ProjectPaths.dcm2niix().toString(), "-z", "n", "-b", "n", "-f", "ncct",
                "-o", out.toString(), in.toString()), null, Map.of(), Duration.ofMinutes(3));
        List<Path> niftis;
        try (Stream<Path> s = Files.list(out)) {
            niftis = s.filter(p -> p.toString().endsWith(".nii")).sorted().toList();
        }
        assertEquals(1, niftis.size(), "one NIfTI from one untilted series: " + niftis + "\n" + r.describe());
        ImageVolume converted = NiftiReader.read(niftis.get(0));
        ImageVolume labels = NiftiReader.read(subject.resolve("labels.nii.gz"));
        assertEquals((long) labels.size(), (long) converted.size(), "same number of voxels as the truth grid");
        DicomRead.Series ct = DicomRead.series(files);

        Affine toTruth = labels.voxelToWorld().inverse().multiply(converted.voxelToWorld());
        double[] v = new double[3];
        long compared = 0;
        double worst = 0;
        for (int z = 0; z < converted.nz(); z++) {
            for (int y = 0; y < converted.ny(); y++) {
                for (int x = 0; x < converted.nx(); x += 3) {
                    toTruth.apply(x, y, z, v);
                    long i = Math.round(v[0]);
                    long j = Math.round(v[1]);
                    long k = Math.round(v[2]);
                    assertTrue(Math.abs(v[0] - i) < 0.01 && Math.abs(v[1] - j) < 0.01 && Math.abs(v[2] - k) < 0.01,
                            "dcm2niix voxel " + x + "," + y + "," + z + " is not a truth voxel centre: "
                                    + java.util.Arrays.toString(v));
                    assertTrue(labels.contains((int) i, (int) j, (int) k), "inside the truth grid");
                    float dicomHu = ct.hu().get((int) k)[(int) (j * ct.columns() + i)];
                    double diff = Math.abs(converted.get(x, y, z) - dicomHu);
                    worst = Math.max(worst, diff);
                    compared++;
                }
            }
        }
        assertTrue(worst <= 1.0, "dcm2niix HU differ from the DICOM HU by up to " + worst);
        assertTrue(compared > converted.size() / 4, "compared " + compared);
    }
}
