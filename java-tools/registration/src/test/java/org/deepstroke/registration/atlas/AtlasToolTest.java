package org.deepstroke.registration.atlas;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiHeader;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * {@code deepstroke atlas} end to end with real ANTs on the shared data: the MNI ASPECTS masks onto the 2 mm CT
 * template (not MNI) through a SyN registration of Rorden's MNI CT template, after the space correction from the
 * masks' own template (FSL's MNI152 T1, from the pinned wheel) to Rorden's CT template. One run, shared by all tests.
 * The template's own structure labels are the independent truth for the caudate and lentiform regions; they are
 * never used to build or correct the mapping.
 */
class AtlasToolTest {

    @TempDir
    static Path dir;

    static Path template;
    static Path out;
    static Result run;
    static ImageVolume labels;
    static ImageVolume structures;
    static Map<String, Integer> structureIds;

    @BeforeAll
    static void mapTheAtlasOnce() throws Exception {
        template = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        out = dir.resolve("atlas");
        long start = System.nanoTime();
        run = deepstroke("atlas",
                "--template", template.toString(),
                "--atlas-masks", ProjectPaths.sharedFile("atlas/aspects-regions-mni").toString(),
                "--atlas-template",
                ProjectPaths.sharedFile("atlas/ct-template-rorden-mni-1mm/scct_unsmooth_SS_0.01.nii.gz").toString(),
                "--atlas-mr-template", LabelMaps.mrTemplateWheel().toString(),
                "--atlas-mr-template-entry", LabelMaps.MR_TEMPLATE_ENTRY,
                "--output-dir", out.toString(), "--threads", "2", "--seed", "42");
        System.out.printf("deepstroke atlas took %.0f s%n", (System.nanoTime() - start) / 1e9);
        assertEquals(0, run.exit(), run.err());
        labels = NiftiReader.read(out.resolve("aspects_labels.nii.gz"));
        structures = NiftiReader.read(ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/structures_2mm.nii.gz"));
        structureIds = new HashMap<>();
        List<String> rows = Files.readAllLines(
                ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/structure_labels.csv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            structureIds.put(cells[1], Integer.parseInt(cells[0]));
        }
    }

    static Set<Integer> structure(String... names) {
        return Set.of(java.util.Arrays.stream(names).map(n -> {
            Integer id = structureIds.get(n);
            assertNotNull(id, "structure_labels.csv has no '" + n + "'");
            return id;
        }).toArray(Integer[]::new));
    }

    static double dice(AspectsRegion region, Set<Integer> truth) {
        return LabelMaps.dice(labels, l -> l == region.id(), structures, truth::contains);
    }

    /**
     * Dice of the mapped caudate and lentiform against the template's own labels (fast preset, 2 threads, seed 42).
     * Without the space correction 0.60/0.59 caudate, 0.63/0.64 lentiform: the masks (drawn on FSL's MNI152) sit
     * ~3 mm superior and 1-3 mm posterior of the lentiform nuclei of Rorden's MNI CT template. With it (affine, MI,
     * MNI152 T1 onto Rorden's CT) the lentiform reaches the issue's bar, narrowly (two runs: 0.712/0.709 and
     * 0.703/0.714; 2 ANTs threads are not bit-reproducible), the caudate does not (0.571/0.639, 0.568/0.644): after the CT-to-CT registration Rorden's wider ventricles still cover part of the target's caudate
     * (mean 18-20 HU there in the warped Rorden template vs 32-33 HU in the target), and the mapped C region is
     * compressed (2.3 vs 3.1 ml), ~2 mm lateral and ~2 mm superior of the target's caudate.
     */
    static Map<String, Double> dice() {
        Map<String, Double> dice = new java.util.LinkedHashMap<>();
        dice.put("caudate L", dice(AspectsRegion.C_L, structure("Left Caudate")));
        dice.put("caudate R", dice(AspectsRegion.C_R, structure("Right Caudate")));
        dice.put("lentiform L", dice(AspectsRegion.L_L, structure("Left Putamen", "Left Pallidum")));
        dice.put("lentiform R", dice(AspectsRegion.L_R, structure("Right Putamen", "Right Pallidum")));
        return dice;
    }

    /**
     * Regression guard at the measured levels (caudate 0.57/0.64, lentiform 0.70-0.71), and sides not swapped. The
     * issue's bar (Dice >= 0.7) is met by the lentiform only: see {@link #dice()}; the issue stays open for the caudate.
     */
    @Test
    void caudateAndLentiformOverlapTheTemplatesOwnLabels() {
        Map<String, Double> dice = dice();
        System.out.println("Dice vs structures_2mm: " + dice);
        dice.forEach((name, d) -> assertTrue(d >= 0.55, name + " Dice " + d + "; all: " + dice));
        for (String lentiform : List.of("lentiform L", "lentiform R")) {
            assertTrue(dice.get(lentiform) >= 0.69, lentiform + ": the space correction lost its gain; all: " + dice);
        }
        assertTrue(dice(AspectsRegion.C_L, structure("Right Caudate")) < 0.05);
        assertTrue(dice(AspectsRegion.L_R, structure("Left Putamen", "Left Pallidum")) < 0.05);
    }

    /**
     * What is left of the offset: moved as a whole by at most 2 voxels (4 mm), the mapped lentiform regions overlap
     * the template's putamen + pallidum with Dice >= 0.75 (measured 0.81-0.82 at one voxel down; unshifted 0.70-0.71).
     * The affine space correction removes most, not all, of the offset: the best shift is still inferior.
     */
    @Test
    void theLentiformMatchesUpToTheAtlasOffset() {
        for (AspectsRegion region : List.of(AspectsRegion.L_L, AspectsRegion.L_R)) {
            Set<Integer> truth = region.side() == AspectsRegion.Side.L ? structure("Left Putamen", "Left Pallidum")
                    : structure("Right Putamen", "Right Pallidum");
            LabelMaps.Shifted best = LabelMaps.bestShiftedDice(labels, l -> l == region.id(), structures,
                    truth::contains, 2);
            System.out.println(region.key() + " best shifted Dice " + best);
            assertTrue(best.dice() >= 0.75, region.key() + " " + best);
            // The template's z axis points superior (+2 mm per voxel): a shift down is dz < 0.
            assertTrue(best.dz() < 0, region.key() + " " + best);
        }
    }

    @Test
    void leftStaysLeft() {
        // This template is not centred on x = 0 (its origin is a corner): the midline is the brain's centroid.
        ImageVolume t = NiftiReader.read(template);
        double midline = LabelMaps.centroid(t.withData(t.data().clone()), v -> v != 0)[0];
        double caudateMid = (LabelMaps.centroid(structures, structure("Left Caudate")::contains)[0]
                + LabelMaps.centroid(structures, structure("Right Caudate")::contains)[0]) / 2;
        assertEquals(caudateMid, midline, 6, "brain centroid near the caudates' midpoint");
        for (AspectsRegion r : AspectsRegion.all()) {
            double x = LabelMaps.centroid(labels, l -> l == r.id())[0];
            assertTrue(r.side() == AspectsRegion.Side.L ? x < midline - 5 : x > midline + 5,
                    r.key() + " centroid x " + x + " vs midline " + midline);
        }
    }

    @Test
    void labelMapIsOnTheTemplateGridWithTwentyRegions() throws Exception {
        ImageVolume t = NiftiReader.read(template);
        assertTrue(java.util.Arrays.equals(t.dims(), labels.dims()));
        assertTrue(labels.voxelToWorld().maxDifference(t.voxelToWorld()) <= 1e-5, labels.voxelToWorld().toString());
        NiftiHeader h = NiftiReader.readHeader(out.resolve("aspects_labels.nii.gz"));
        assertEquals(NiftiDatatype.UINT8.code(), h.datatypeCode());
        long[] counts = new long[256];
        for (float v : labels.data()) {
            counts[(int) v]++;
        }
        JsonNode report = new ObjectMapper().readTree(out.resolve("atlas.json").toFile());
        StringBuilder table = new StringBuilder();
        for (AspectsRegion r : AspectsRegion.all()) {
            assertTrue(counts[r.id()] > 0, r.key() + " is empty");
            assertEquals(counts[r.id()], report.get("regions").get(r.id() - 1).get("voxels").asLong());
            table.append(String.format("%2d %-5s %6d%n", r.id(), r.key(), counts[r.id()]));
        }
        for (int id = 21; id < 256; id++) {
            assertEquals(0, counts[id], "label " + id);
        }
        System.out.println("voxels per region (2 mm):\n" + table);
        assertEquals(LabelsTsv.content(), Files.readString(out.resolve("labels.tsv")));
        assertEquals("id\tregion\themisphere\tlevel\tname\n"
                + "1\tC\tL\tBG\tcaudate\n", LabelsTsv.content().lines().limit(2)
                        .map(l -> l + "\n").reduce("", String::concat));
    }

    @Test
    void reportRecordsTheRegistration() throws Exception {
        JsonNode report = new ObjectMapper().readTree(out.resolve("atlas.json").toFile());
        JsonNode reg = report.get("registration");
        assertFalse(reg.get("skipped").asBoolean());
        assertEquals("fast", reg.get("preset").asText());
        assertEquals(2, reg.get("threads").asInt());
        assertEquals(42, reg.get("seed").asInt());
        assertTrue(reg.get("command").asText().contains("SyN[0.1,3,0]"), reg.get("command").asText());
        assertTrue(reg.get("ants_version").asText().matches("\\d+\\.\\d+.*"), reg.toString());
        double correlation = reg.get("correlation_after").asDouble();
        System.out.println("registration: " + reg.get("wall_seconds") + " s, correlation after " + correlation
                + "\ncommand: " + reg.get("command").asText());
        assertTrue(correlation > 0.7, "warped atlas template vs template correlation " + correlation);
        report.get("qc").get("anatomy_checks").fields().forEachRemaining(e ->
                assertTrue(e.getValue().asBoolean(), e.getKey()));
        JsonNode correction = report.get("space_correction");
        assertTrue(correction.get("applied").asBoolean(), correction.toString());
        assertEquals(LabelMaps.MR_TEMPLATE_ENTRY, correction.get("atlas_mr_template").get("entry").asText());
        assertEquals("422cebe0f02d86f7320261fa0de0557f1eb4ca5fbd65cc76ab8685ea9b9bd6c8",
                correction.get("atlas_mr_template").get("sha256").asText());
        assertTrue(correction.get("command").asText().contains("Affine[0.1]")
                && !correction.get("command").asText().contains("SyN"), correction.get("command").asText());
        for (String f : List.of("atlas_space_correction_0GenericAffine.mat", "atlas_space_correction.log",
                "atlas_to_template_0GenericAffine.mat", "atlas_to_template_1Warp.nii.gz",
                "atlas_to_template_1InverseWarp.nii.gz", "atlas_to_template_warped.nii.gz",
                "atlas_registration.log", "atlas_apply_transforms.log")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertFalse(Files.exists(new AtlasOutputs(out).scratch()), "intermediate files are removed");
    }

    @Test
    void qcPictureShowsBothLevels() throws Exception {
        BufferedImage png = ImageIO.read(out.resolve("atlas_qc.png").toFile());
        assertNotNull(png, "decodable PNG");
        // Two 128 x 2 mm panels at 1.5 px/mm (384 px) plus margins and legend.
        assertEquals(10 + 384 + 10 + 384 + 10 + 190, png.getWidth());
        assertEquals(46 + 384 + 24, png.getHeight());
        JsonNode qc = new ObjectMapper().readTree(out.resolve("atlas.json").toFile()).get("qc");
        int bg = qc.get("ganglionic_slice").asInt();
        int sg = qc.get("supraganglionic_slice").asInt();
        ImageVolume t = NiftiReader.read(template);
        double bgZ = t.voxelToWorld().apply(0, 0, bg)[2];
        double sgZ = t.voxelToWorld().apply(0, 0, sg)[2];
        // ASPECTS levels: the supraganglionic slice lies roughly 2-4 cm above the ganglionic one.
        assertTrue(sgZ - bgZ > 15 && sgZ - bgZ < 60, "ganglionic z " + bgZ + ", supraganglionic z " + sgZ);
    }
}
