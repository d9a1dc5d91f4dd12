package org.deepstroke.registration.overlay;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.registration.Ants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/** The overlay tools in-process with real ANTs on small synthetic images. */
class OverlayToolsTest {

    @TempDir
    Path dir;

    @Test
    void aggregationOfKnownMasksGivesExactMeanAndCount() throws Exception {
        ImageVolume reference = new ImageVolume(12, 10, 8, Affine.diagonal(-2, 2, 2).translate(10, -5, 3));
        for (int i = 0; i < reference.size(); i++) {
            reference.data()[i] = 40;
        }
        Path ref = dir.resolve("template.nii.gz");
        NiftiWriter.write(reference, ref, NiftiDatatype.FLOAT32);
        List<String> files = new ArrayList<>();
        // Overlay k sets voxel i when (i % (k + 2)) == 0: known sets with known overlaps.
        for (int k = 0; k < 3; k++) {
            ImageVolume o = reference.blankLike();
            for (int i = 0; i < o.size(); i++) {
                o.data()[i] = i % (k + 2) == 0 ? 1 : 0;
            }
            Path f = dir.resolve("o" + k + ".nii.gz");
            NiftiWriter.write(o, f, NiftiDatatype.UINT8);
            files.add(f.toString());
        }
        List<String> args = new ArrayList<>(List.of("aggregate-overlays", "--reference", ref.toString(),
                "--output-dir", dir.resolve("agg").toString(), "--overlays"));
        args.addAll(files);
        Result run = deepstroke(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        ImageVolume mean = NiftiReader.read(dir.resolve("agg/mean_overlay.nii.gz"));
        ImageVolume count = NiftiReader.read(dir.resolve("agg/overlay_count.nii.gz"));
        assertTrue(mean.sameGrid(reference, 1e-6));
        long covered = 0;
        for (int i = 0; i < reference.size(); i++) {
            int n = (i % 2 == 0 ? 1 : 0) + (i % 3 == 0 ? 1 : 0) + (i % 4 == 0 ? 1 : 0);
            assertEquals(n, count.data()[i], 0f, "count at " + i);
            assertEquals(n / 3f, mean.data()[i], 1e-6f, "mean at " + i);
            covered += n > 0 ? 1 : 0;
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("agg/aggregate.json").toFile());
        assertEquals(3, json.get("n_overlays").asInt());
        assertEquals(covered, json.get("voxels_covered").asLong());
        assertEquals(3, json.get("max_count").asInt());
        BufferedImage png = ImageIO.read(dir.resolve("agg/aggregate_qc.png").toFile());
        assertTrue(png.getWidth() > 50 && png.getHeight() > 50);

        // An overlay on another grid is refused, naming the file.
        Path other = dir.resolve("other.nii.gz");
        NiftiWriter.write(new ImageVolume(12, 10, 9, Affine.diagonal(2, 2, 2)), other, NiftiDatatype.UINT8);
        run = deepstroke("aggregate-overlays", "--reference", ref.toString(), "--output-dir",
                dir.resolve("bad").toString(), "--overlays", files.get(0), other.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains(other.toString()) && run.err().contains("not on the reference grid"), run.err());
    }

    /** A gappy circle outline on slice 1 of a 0.5 x 0.5 x 5 mm grid (as a legacy overlay). */
    private static ImageVolume circleOverlay() {
        ImageVolume o = new ImageVolume(160, 160, 3, Affine.diagonal(-0.5, -0.5, 5).translate(40, 40, -5));
        int n = 0;
        for (int y = 0; y < o.ny(); y++) {
            for (int x = 0; x < o.nx(); x++) {
                double r = Math.hypot(x - 80, y - 80) * 0.5;
                if (Math.abs(r - 25) < 0.25 && (n++ % 10) != 0) {
                    o.set(x, y, 1, 1);
                }
            }
        }
        return o;
    }

    @Test
    void overlayWarpKeepsEveryPointWhereResamplingTheMaskLosesThem() throws Exception {
        ImageVolume overlay = circleOverlay();
        Path overlayFile = dir.resolve("overlay.nii.gz");
        NiftiWriter.write(overlay, overlayFile, NiftiDatatype.UINT8);
        ImageVolume reference = new ImageVolume(48, 48, 16, Affine.diagonal(2, 2, 2).translate(-48, -48, -16));
        Path ref = dir.resolve("atlas.nii.gz");
        NiftiWriter.write(reference, ref, NiftiDatatype.FLOAT32);
        // An ITK affine (LPS): 10 degrees about z, scale 1.05, shift (3, -2, 1) mm.
        double c = Math.cos(Math.toRadians(10)) * 1.05;
        double s = Math.sin(Math.toRadians(10)) * 1.05;
        double[] m = {c, -s, 0, s, c, 0, 0, 0, 1.05};
        double[] t = {3, -2, 1};
        Path affine = dir.resolve("affine.txt");
        Files.writeString(affine, String.format(Locale.ROOT, "#Insight Transform File V1.0%n#Transform 0%n"
                + "Transform: AffineTransform_double_3_3%nParameters: %s %s %s %s %s %s %s %s %s %s %s %s%n"
                + "FixedParameters: 0 0 0%n", m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], t[0], t[1], t[2]));

        Result run = deepstroke("overlay-to-atlas", "--overlay", overlayFile.toString(), "--reference", ref.toString(),
                "--transform", affine.toString(), "--output", dir.resolve("atlas_overlay.nii.gz").toString(),
                "--points", dir.resolve("points.tsv").toString(), "--json", dir.resolve("o.json").toString());
        assertEquals(0, run.exit(), run.err());
        List<double[]> nativePoints = OverlayPoints.fromMask(overlay);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("o.json").toFile());
        assertEquals(nativePoints.size(), json.get("points").asInt());
        assertEquals(nativePoints.size(), json.get("points_in_atlas_grid").asInt());

        // Every point lands where the affine puts it (RAS <-> LPS by negating x and y).
        List<String> rows = Files.readAllLines(dir.resolve("points.tsv"));
        assertEquals(nativePoints.size() + 1, rows.size());
        List<double[]> expected = new ArrayList<>();
        for (double[] p : nativePoints) {
            double lx = -p[0];
            double ly = -p[1];
            double lz = p[2];
            expected.add(new double[] {-(m[0] * lx + m[1] * ly + m[2] * lz + t[0]),
                -(m[3] * lx + m[4] * ly + m[5] * lz + t[1]), m[6] * lx + m[7] * ly + m[8] * lz + t[2]});
        }
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split("\t");
            for (int k = 0; k < 3; k++) {
                assertEquals(expected.get(i - 1)[k], Double.parseDouble(f[4 + k]), 1e-3, "point " + i);
            }
        }
        ImageVolume hits = NiftiReader.read(dir.resolve("atlas_overlay.nii.gz"));
        long hitVoxels = PointRaster.count(expected, reference).hitVoxels();
        assertEquals(hitVoxels, json.get("atlas_voxels_hit").asLong());
        long written = 0;
        for (float v : hits.data()) {
            written += v > 0 ? 1 : 0;
        }
        assertEquals(hitVoxels, written);
        // The outline (circumference 2 pi 26.25 mm at 2 mm) covers ~80 voxels; points keep all of them.
        assertTrue(hitVoxels > 70, "voxels hit " + hitVoxels);

        // The alternative the points replace: resampling the mask linearly and thresholding loses most voxels.
        Path resampled = dir.resolve("resampled.nii.gz");
        Ants.locate().command("antsApplyTransforms", List.of("-d", "3", "-i", overlayFile.toString(), "-r",
                ref.toString(), "-o", resampled.toString(), "-n", "Linear", "-t", "[" + affine + ",1]"), 1, 1)
                .timeout(Duration.ofMinutes(5)).run();
        long kept = 0;
        for (float v : NiftiReader.read(resampled).data()) {
            kept += v >= 0.5f ? 1 : 0;
        }
        System.out.printf("overlay-to-atlas: %d points -> %d atlas voxels; linear resampling + 0.5 threshold keeps "
                + "%d voxels%n", nativePoints.size(), hitVoxels, kept);
        assertTrue(kept < hitVoxels / 2, "linear resampling kept " + kept + " of " + hitVoxels);
    }

    /** Labels: four boxes side by side in x, two rows in y, over z 4..19 of a 40 x 40 x 24 2 mm grid. */
    private static ImageVolume boxes(int shiftVoxels) {
        ImageVolume l = new ImageVolume(40, 40, 24, Affine.diagonal(2, 2, 2).translate(-40, -40, -24));
        for (int z = 4; z < 20; z++) {
            for (int y = 8; y < 32; y++) {
                for (int x = 6; x < 34; x++) {
                    int xs = x + shiftVoxels;
                    int label = 1 + (x - 6) / 7 + (y < 20 ? 0 : 4);
                    if (l.contains(xs, y, z)) {
                        l.set(xs, y, z, label);
                    }
                }
            }
        }
        return l;
    }

    @Test
    void refinementMovesTheAtlasTowardAKnownShiftOfTheOverlay() throws Exception {
        ImageVolume atlas = boxes(0);
        ImageVolume shifted = boxes(2); // the subject's regions lie 4 mm further along +x (voxel x = RAS x here)
        Path atlasFile = dir.resolve("labels.nii.gz");
        NiftiWriter.write(atlas, atlasFile, NiftiDatatype.UINT8);
        // The overlay: the shifted outlines on two planes, every 4th voxel left out (gaps).
        ImageVolume outline = OutlineImage.boundary(shifted);
        ImageVolume overlay = atlas.blankLike();
        int n = 0;
        for (int z : new int[] {8, 15}) {
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 40; x++) {
                    if (outline.get(x, y, z) > 0 && (n++ % 4) != 0) {
                        overlay.set(x, y, z, 1);
                    }
                }
            }
        }
        Path overlayFile = dir.resolve("overlay_atlas.nii.gz");
        NiftiWriter.write(overlay, overlayFile, NiftiDatatype.UINT8);
        String prefix = dir.resolve("sub_overlay_").toString();
        Result run = deepstroke("refine-overlay", "--overlay", overlayFile.toString(), "--atlas-labels",
                atlasFile.toString(), "--output-prefix", prefix, "--threads", "2", "--seed", "1");
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.isRegularFile(Path.of(prefix + "0Warp.nii.gz")));
        assertTrue(Files.isRegularFile(Path.of(prefix + "refine_qc.png")));
        JsonNode json = new ObjectMapper().readTree(Path.of(prefix + "refine_qc.json").toFile());
        double before = json.get("overlay_to_atlas_outline_distance_mm_before").get("mean").asDouble();
        double after = json.get("overlay_to_atlas_outline_distance_mm_after").get("mean").asDouble();

        // The atlas labels carried through the warp (as back-projection does) vs the shifted truth, on the two planes.
        Path warped = dir.resolve("labels_refined.nii.gz");
        Ants.locate().command("antsApplyTransforms", List.of("-d", "3", "-i", atlasFile.toString(), "-r",
                overlayFile.toString(), "-o", warped.toString(), "-n", "GenericLabel", "-t", prefix + "0Warp.nii.gz"),
                1, 1).timeout(Duration.ofMinutes(5)).run();
        ImageVolume refined = NiftiReader.read(warped);
        double diceBefore = meanDiceOnPlanes(atlas, shifted, 8, 15);
        double diceAfter = meanDiceOnPlanes(refined, shifted, 8, 15);
        System.out.printf("refine-overlay: outline distance %.2f -> %.2f mm; label Dice on the overlay planes "
                + "%.3f -> %.3f%n", before, after, diceBefore, diceAfter);
        assertTrue(after < before - 0.5, before + " -> " + after);
        assertTrue(diceAfter > diceBefore + 0.05, diceBefore + " -> " + diceAfter);

        // The mapping of an overlay point goes ~4 mm toward -x: the atlas position of the subject's outline.
        List<double[]> pts = new ArrayList<>();
        for (int y = 10; y < 30; y += 4) {
            pts.add(overlay.voxelToWorld().apply(20, y, 8));
        }
        List<double[]> mapped = new AntsPointMapper(Ants.locate(), 1, 1).map(pts, List.of(prefix + "0Warp.nii.gz"),
                dir.resolve("pts"), Duration.ofMinutes(5));
        double dx = 0;
        for (int i = 0; i < pts.size(); i++) {
            dx += (mapped.get(i)[0] - pts.get(i)[0]) / pts.size();
        }
        System.out.printf("mean x displacement at the overlay %.2f mm (expected about -4)%n", dx);
        assertTrue(dx < -1.5 && dx > -6, "dx " + dx);
    }

    private static double meanDiceOnPlanes(ImageVolume a, ImageVolume b, int... planes) {
        double sum = 0;
        int labels = 0;
        for (int l = 1; l <= 8; l++) {
            long na = 0;
            long nb = 0;
            long both = 0;
            for (int z : planes) {
                for (int y = 0; y < a.ny(); y++) {
                    for (int x = 0; x < a.nx(); x++) {
                        boolean in1 = Math.round(a.get(x, y, z)) == l;
                        boolean in2 = Math.round(b.get(x, y, z)) == l;
                        na += in1 ? 1 : 0;
                        nb += in2 ? 1 : 0;
                        both += in1 && in2 ? 1 : 0;
                    }
                }
            }
            sum += 2.0 * both / (na + nb);
            labels++;
        }
        return sum / labels;
    }
}
