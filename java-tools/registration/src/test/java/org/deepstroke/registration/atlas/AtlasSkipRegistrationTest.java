package org.deepstroke.registration.atlas;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.LabelsTsv;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiHeader;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * The no-registration path on real data: the FSL-grid MNI masks onto the SPM-grid MNI CT template (same space,
 * other grid). The grids are 1 mm apart by whole voxels, so world resampling must reproduce the masks exactly,
 * resolved by the fusion rule.
 */
class AtlasSkipRegistrationTest {

    @TempDir
    static Path dir;

    static Path masks;
    static Path template;
    static Path out;
    static Result run;
    static ImageVolume labels;

    @BeforeAll
    static void mapMasksOntoTheMniTemplate() {
        masks = ProjectPaths.sharedFile("atlas/aspects-regions-mni");
        template = ProjectPaths.sharedFile("atlas/ct-template-rorden-mni-1mm/scct_unsmooth_SS_0.01.nii.gz");
        out = dir.resolve("skip");
        run = deepstroke("atlas", "--template", template.toString(), "--atlas-masks", masks.toString(),
                "--output-dir", out.toString());
        assertEquals(0, run.exit(), run.err());
        labels = NiftiReader.read(out.resolve("aspects_labels.nii.gz"));
    }

    /** Each mask looked up by nearest neighbour at every template voxel's world position. */
    static List<ImageVolume> masksOnTemplateGrid() throws Exception {
        List<ImageVolume> result = new ArrayList<>();
        for (AspectsRegion r : AspectsRegion.all()) {
            ImageVolume mask = NiftiReader.read(masks.resolve("MNI152_" + r.maskToken() + "_" + r.side() + ".nii.gz"));
            var toMask = mask.voxelToWorld().inverse().multiply(labels.voxelToWorld());
            float[] sampled = new float[labels.size()];
            int i = 0;
            for (int z = 0; z < labels.nz(); z++) {
                for (int y = 0; y < labels.ny(); y++) {
                    for (int x = 0; x < labels.nx(); x++, i++) {
                        double[] p = toMask.apply(x, y, z);
                        int mx = (int) Math.round(p[0]);
                        int my = (int) Math.round(p[1]);
                        int mz = (int) Math.round(p[2]);
                        sampled[i] = mask.contains(mx, my, mz) ? mask.get(mx, my, mz) : 0;
                    }
                }
            }
            result.add(labels.withData(sampled));
        }
        return result;
    }

    @Test
    void resampledRegionsMatchTheOriginalMasks() throws Exception {
        List<ImageVolume> truth = masksOnTemplateGrid();
        // Expected fused map: the lowest id whose mask covers the voxel (the masks are binary, so every overlap is
        // a tie).
        float[] expected = new float[labels.size()];
        for (int i = 0; i < expected.length; i++) {
            for (AspectsRegion r : AspectsRegion.all()) {
                if (truth.get(r.ordinal()).data()[i] >= 0.5f) {
                    expected[i] = r.id();
                    break;
                }
            }
        }
        assertArrayEquals(expected, labels.data(), "fused map = lowest id covering each voxel");

        StringBuilder report = new StringBuilder();
        for (AspectsRegion r : AspectsRegion.all()) {
            double dice = LabelMaps.dice(labels, l -> l == r.id(), truth.get(r.ordinal()), v -> v >= 1);
            report.append(r.key()).append(String.format(" %.3f%n", dice));
            // The internal capsule mask overlaps the lentiform mask, which wins those ties (lower id): ~0.90.
            double floor = r.structure() == AspectsRegion.Structure.IC ? 0.85 : 0.95;
            assertTrue(dice >= floor, r.key() + " Dice " + dice + "\n" + report);
        }
        System.out.println("skip path Dice vs original masks:\n" + report);
    }

    @Test
    void sidesAndAnatomyAreRightInMniSpace() throws Exception {
        for (AspectsRegion r : AspectsRegion.all()) {
            double x = LabelMaps.centroid(labels, l -> l == r.id())[0];
            assertTrue(r.side() == AspectsRegion.Side.L ? x < -5 : x > 5, r.key() + " centroid x " + x);
        }
        // The mask-name mapping: insular ribbon lateral to the lentiform nucleus, internal capsule medial to it.
        for (AspectsRegion.Side side : AspectsRegion.Side.values()) {
            double c = Math.abs(LabelMaps.centroid(labels, l -> l == AspectsRegion.find("C", side.name()).get().id())[0]);
            double lentiform = Math.abs(LabelMaps.centroid(labels,
                    l -> l == AspectsRegion.find("L", side.name()).get().id())[0]);
            double insula = Math.abs(LabelMaps.centroid(labels,
                    l -> l == AspectsRegion.find("I", side.name()).get().id())[0]);
            double capsule = Math.abs(LabelMaps.centroid(labels,
                    l -> l == AspectsRegion.find("IC", side.name()).get().id())[0]);
            assertTrue(insula > lentiform + 8, side + ": insula |x| " + insula + " vs lentiform " + lentiform);
            assertTrue(capsule < lentiform && c < lentiform, side + ": capsule " + capsule + ", caudate " + c);
        }
        JsonNode report = new ObjectMapper().readTree(out.resolve("atlas.json").toFile());
        report.get("qc").get("anatomy_checks").fields().forEachRemaining(e ->
                assertTrue(e.getValue().asBoolean(), e.getKey()));
    }

    @Test
    void outputsAreOnTheTemplateGridWithoutTransforms() throws Exception {
        ImageVolume t = NiftiReader.read(template);
        assertTrue(labels.sameGrid(t, 1e-5));
        NiftiHeader h = NiftiReader.readHeader(out.resolve("aspects_labels.nii.gz"));
        assertEquals(NiftiDatatype.UINT8.code(), h.datatypeCode());
        assertEquals(4, h.sformCode(), "the template's MNI152 world space is kept");
        assertEquals(LabelsTsv.content(), Files.readString(out.resolve("labels.tsv")));
        JsonNode report = new ObjectMapper().readTree(out.resolve("atlas.json").toFile());
        assertTrue(report.get("registration").get("skipped").asBoolean());
        assertTrue(report.get("atlas_template").isNull());
        for (JsonNode region : report.get("regions")) {
            int id = region.get("id").asInt();
            long voxels = 0;
            for (float v : labels.data()) {
                voxels += v == id ? 1 : 0;
            }
            assertEquals(voxels, region.get("voxels").asLong(), "region " + id);
        }
        try (var files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("aspects_labels.nii.gz", "atlas.json", "atlas_qc.png", "labels.tsv"), names);
        }
    }

    @Test
    void aLabelMapWithItsOwnIdsMapsToTheSameResult() throws Exception {
        // The first run's output as an atlas, with ids reversed (21 - id) and its table saying so.
        float[] reversed = labels.data().clone();
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = reversed[i] == 0 ? 0 : 21 - reversed[i];
        }
        Path atlas = dir.resolve("reversed.nii.gz");
        NiftiWriter.write(labels.withData(reversed), atlas, NiftiDatatype.UINT8);
        StringBuilder tsv = new StringBuilder("id\tregion\themisphere\n");
        for (AspectsRegion r : AspectsRegion.all()) {
            tsv.append(21 - r.id()).append('\t').append(r.code()).append('\t').append(r.side()).append('\n');
        }
        Path table = Files.writeString(dir.resolve("reversed.tsv"), tsv);
        Path again = dir.resolve("again");
        Result second = deepstroke("atlas", "--template", template.toString(),
                "--atlas-labels", atlas.toString(), "--atlas-labels-tsv", table.toString(),
                "--output-dir", again.toString());
        assertEquals(0, second.exit(), second.err());
        assertArrayEquals(labels.data(), NiftiReader.read(again.resolve("aspects_labels.nii.gz")).data());
    }

    @Test
    void badInvocationsFailWithOneLine() throws Exception {
        Result both = deepstroke("atlas", "--template", template.toString(),
                "--atlas-masks", masks.toString(), "--atlas-labels", template.toString(),
                "--output-dir", dir.resolve("x").toString());
        assertEquals(2, both.exit(), both.err());
        assertTrue(both.err().contains("either --atlas-masks"), both.err());

        Result noTemplate = deepstroke("atlas", "--atlas-masks", masks.toString(),
                "--output-dir", dir.resolve("x").toString());
        assertEquals(2, noTemplate.exit(), noTemplate.err());
        assertTrue(noTemplate.err().contains("Missing required option: template"), noTemplate.err());

        Path noMasks = Files.createDirectories(dir.resolve("no-masks"));
        Result empty = deepstroke("atlas", "--template", template.toString(),
                "--atlas-masks", noMasks.toString(), "--output-dir", dir.resolve("x").toString());
        assertEquals(1, empty.exit(), empty.err());
        assertTrue(empty.err().contains("ASPECTS masks missing: *_C_L.nii.gz"), empty.err());
        assertEquals(1, empty.err().strip().lines().count(), empty.err());
        assertFalse(Files.exists(dir.resolve("x").resolve("aspects_labels.nii.gz")));

        // issue 16: the atlas is never written into the masks' folder
        Result inside = deepstroke("atlas", "--template", template.toString(),
                "--atlas-masks", dir.toString(), "--output-dir", dir.resolve("x").toString());
        assertEquals(2, inside.exit(), inside.err());
        assertTrue(inside.err().contains("lies inside the input folder --atlas-masks"), inside.err());
    }
}
