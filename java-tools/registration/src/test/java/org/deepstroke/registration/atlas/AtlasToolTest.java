package org.deepstroke.registration.atlas;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.LabelsTsv;
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
 * template (not MNI) through the MR-template route (the masks' own template, FSL's MNI152 T1 from the pinned wheel,
 * registered straight to the CT template; the caudate snapped to the T1's grey matter). One run, shared by all tests.
 * The template's own structure labels are the truth for the caudate and lentiform regions; they are never used to
 * build or correct the mapping (the snap uses the MNI152 T1's own Atropos classes, not the target's).
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
     * Earlier routes, same bar: CT to CT from Rorden's MNI CT template 0.60/0.59 caudate, 0.63/0.64 lentiform; with an
     * affine MR-to-CT-template correction first 0.57/0.64, 0.70/0.71. The MR-template route with the snapped caudate:
     * 0.78-0.79/0.83-0.84, 0.74-0.76/0.73 (this test, three runs; 2 ANTs threads are not bit-reproducible).
     */
    static Map<String, Double> dice() {
        Map<String, Double> dice = new java.util.LinkedHashMap<>();
        dice.put("caudate L", dice(AspectsRegion.C_L, structure("Left Caudate")));
        dice.put("caudate R", dice(AspectsRegion.C_R, structure("Right Caudate")));
        dice.put("lentiform L", dice(AspectsRegion.L_L, structure("Left Putamen", "Left Pallidum")));
        dice.put("lentiform R", dice(AspectsRegion.L_R, structure("Right Putamen", "Right Pallidum")));
        return dice;
    }

    /** The issue's bar: Dice >= 0.7 per hemisphere for the caudate and the lentiform; and sides not swapped. */
    @Test
    void caudateAndLentiformOverlapTheTemplatesOwnLabels() {
        Map<String, Double> dice = dice();
        System.out.println("Dice vs structures_2mm: " + dice);
        dice.forEach((name, d) -> assertTrue(d >= 0.7, name + " Dice " + d + "; all: " + dice));
        assertTrue(dice(AspectsRegion.C_L, structure("Right Caudate")) < 0.05);
        assertTrue(dice(AspectsRegion.L_R, structure("Left Putamen", "Left Pallidum")) < 0.05);
    }

    /** The report names the route, the tissue classes it snapped the caudate to, and keeps those classes for QC. */
    @Test
    void theReportDescribesTheMrTemplateRoute() throws Exception {
        JsonNode report = new ObjectMapper().readTree(out.resolve("atlas.json").toFile());
        JsonNode route = report.get("mr_template_route");
        assertTrue(route.get("applied").asBoolean(), route.toString());
        assertEquals("[\"C_L\",\"C_R\"]", route.get("grey_nucleus_snap").get("regions").toString());
        assertEquals(0.85, route.get("syn_metrics").get("mi_ct_vs_mr_weight").asDouble(), 1e-9);
        assertTrue(report.get("registration").get("command").asText().contains("mr_template_pseudo_ct.nii.gz,0.15,2]"),
                report.get("registration").get("command").asText());
        ImageVolume tissue = NiftiReader.read(out.resolve("atlas_mr_template_tissue.nii.gz"));
        assertArrayEquals(new int[] {182, 218, 182}, tissue.dims());
        long[] counts = new long[4];
        for (float v : tissue.data()) {
            counts[Math.round(v)]++;
        }
        // MNI152 brain ~1.83 l: CSF, grey and white matter each 15-50 % of it.
        long brain = counts[1] + counts[2] + counts[3];
        for (int c = 1; c <= 3; c++) {
            assertTrue(counts[c] > 0.15 * brain && counts[c] < 0.5 * brain, java.util.Arrays.toString(counts));
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
        // CT against a three-class pseudo-CT: measured 0.62 (the CT-to-CT route reached 0.77 on its smoothed pair).
        assertTrue(correlation > 0.55, "warped pseudo-CT vs template correlation " + correlation);
        report.get("qc").get("anatomy_checks").fields().forEachRemaining(e ->
                assertTrue(e.getValue().asBoolean(), e.getKey()));
        JsonNode route = report.get("mr_template_route");
        assertEquals(LabelMaps.MR_TEMPLATE_ENTRY, route.get("atlas_mr_template").get("entry").asText());
        assertEquals("422cebe0f02d86f7320261fa0de0557f1eb4ca5fbd65cc76ab8685ea9b9bd6c8",
                route.get("atlas_mr_template").get("sha256").asText());
        assertTrue(route.get("tissue_classes").get("command").asText().contains("KMeans[3]"), route.toString());
        for (String f : List.of("atlas_mr_template_tissue.nii.gz", "atlas_mr_template_tissue.log",
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
