package org.deepstroke.aspects;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lesion x regions path on hand-made volumes whose fractions, calls, overlaps and thresholds are worked out
 * by hand: aspects-lesion-score, aspects-lesion-calibrate (via {@link LesionCalibration}), evaluate-lesions, and
 * aspects-evaluate reading the lesion JSONs like any other path.
 */
class LesionPathTest {

    /** 10 voxels in a row, 10 mm apart (1 ml each): labels 1 (left C) x4, 2 (left L) x4, 11 (right C) x2. */
    private static ImageVolume row(float... values) {
        ImageVolume v = new ImageVolume(values.length, 1, 1, Affine.diagonal(10, 10, 10));
        System.arraycopy(values, 0, v.data(), 0, values.length);
        return v;
    }

    private static final float[] LABELS = {1, 1, 1, 1, 2, 2, 2, 2, 11, 11};
    // left C 3/4 = 0.75, left L 1/4 = 0.25, right C 1/2 = 0.5; 4 lesion voxels left, 1 right -> left side scored
    private static final float[] LESION = {1, 1, 1, 0, 1, 0, 0, 0, 1, 0};

    private static Path write(Path dir, String name, ImageVolume v) throws Exception {
        Path p = dir.resolve(name);
        NiftiWriter.write(v, p, NiftiDatatype.UINT8);
        return p;
    }

    @Test
    void fractionsAndTheAffectedCallAtTheThreshold() {
        Map<AspectsRegion, LesionFractions.Fraction> f = LesionFractions.measure(row(LABELS), row(LESION));
        assertEquals(0.75, f.get(AspectsRegion.of(Structure.C, Side.L)).fraction(), 1e-12);
        assertEquals(0.25, f.get(AspectsRegion.of(Structure.L, Side.L)).fraction(), 1e-12);
        assertEquals(0.5, f.get(AspectsRegion.of(Structure.C, Side.R)).fraction(), 1e-12);
        assertEquals(0, f.get(AspectsRegion.of(Structure.I, Side.L)).regionVoxels());
        // strictly above: at 0.25 the lentiform (exactly 0.25) is not affected, below it is
        LesionScorer.Result at = LesionScorer.score(f, 0.25);
        assertEquals(Side.L, at.side());
        assertEquals(EnumSet.of(Structure.C), at.affected());
        assertEquals(9, at.score());
        assertEquals(EnumSet.of(Structure.C, Structure.L), LesionScorer.score(f, 0.2499).affected());
        assertEquals(EnumSet.noneOf(Structure.class), LesionScorer.score(f, 0.75).affected());
        // no lesion at all: side L by convention, nothing affected, flagged
        LesionScorer.Result none = LesionScorer.score(LesionFractions.measure(row(LABELS), row(new float[10])), 0.1);
        assertFalse(none.sideFromLesion());
        assertEquals(10, none.score());
    }

    @Test
    void toolWritesWhatAspectsEvaluateReads(@TempDir Path dir) throws Exception {
        Path labels = write(dir, "labels.nii.gz", row(LABELS));
        Path lesion = write(dir, "s1_lesion.nii.gz", row(LESION));
        Path out = dir.resolve("out");
        Result r = deepstroke("aspects-lesion-score", "--labels", labels.toString(), "--lesion", lesion.toString(),
                "--threshold", "0.3", "--subject", "s1", "--output-dir", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("s1_aspects.json").toFile()).path("lesion");
        assertEquals("L", j.path("side").asText());
        assertEquals(9, j.path("score").asInt());
        assertEquals(0.75, j.path("regions").path("C").path("lesion_fraction").asDouble(), 1e-9);
        assertEquals(0.25, j.path("regions").path("L").path("lesion_fraction").asDouble(), 1e-9);
        List<String> score = Files.readAllLines(out.resolve("s1_score.tsv"));
        assertEquals("s1\tL\tlesion\t9\tC\tNA\tNA\tNA\tNA", score.get(1));
        assertEquals(21, Files.readAllLines(out.resolve("s1_lesion_regions.tsv")).size());

        // the truth affects C and L on the left: region sensitivity 1/2, specificity 8/8, ASPECTS 8 vs 9
        Path truth = dir.resolve("cohort.tsv");
        Files.writeString(truth, "pseudonym\tside\taffected_regions\ns1\tL\tC,L\n");
        Path eval = dir.resolve("eval");
        Result e = deepstroke("aspects-evaluate", "--scores", out.toString(), "--truth", truth.toString(), "--path",
                "lesion-oracle", "--output-dir", eval.toString());
        assertEquals(0, e.exit(), e.err());
        JsonNode m = new ObjectMapper().readTree(eval.resolve("lesion-oracle_evaluation.json").toFile())
                .path("methods").path("lesion");
        assertEquals(0.5, m.path("region_ipsilateral").path("sensitivity").asDouble(), 1e-9);
        assertEquals(1.0, m.path("region_ipsilateral").path("specificity").asDouble(), 1e-9);
        assertEquals(0.0, m.path("score").path("exact_agreement").asDouble(), 1e-9);
        assertEquals(1.0, m.path("score").path("within_one").asDouble(), 1e-9);
    }

    @Test
    void calibrationFromTheSameYamlGivesTheSameCall(@TempDir Path dir) throws Exception {
        Path labels = write(dir, "labels.nii.gz", row(LABELS));
        Path lesion = write(dir, "s1_lesion.nii.gz", row(LESION));
        Path yaml = dir.resolve("t.yaml");
        Files.writeString(yaml, "# provenance\nthreshold: 0.2\ncohort: 'hand-made'\n");
        Result r = deepstroke("aspects-lesion-score", "--labels", labels.toString(), "--lesion", lesion.toString(),
                "--calibration", yaml.toString(), "--output-dir", dir.resolve("o").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.readAllLines(dir.resolve("o/s1_lesion_score.tsv"))
                .get(1).contains("\t8\tC,L\t"), r.out());
    }

    @Test
    void badInputNamesTheFileAndWritesNothing(@TempDir Path dir) throws Exception {
        Path labels = write(dir, "labels.nii.gz", row(LABELS));
        float[] notBinary = LESION.clone();
        notBinary[3] = 2;
        Path lesion = write(dir, "bad.nii.gz", row(notBinary));
        Path out = dir.resolve("out");
        Result r = deepstroke("aspects-lesion-score", "--labels", labels.toString(), "--lesion", lesion.toString(),
                "--threshold", "0.3", "--output-dir", out.toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(lesion + ": lesion value 2.0"), r.err());
        assertFalse(Files.exists(out) && Files.list(out).findAny().isPresent());
        Result both = deepstroke("aspects-lesion-score", "--labels", labels.toString(), "--lesion",
                lesion.toString(), "--threshold", "0.3", "--calibration", labels.toString(), "--output-dir",
                out.toString());
        assertEquals(2, both.exit());
        Result range = deepstroke("aspects-lesion-score", "--labels", labels.toString(), "--lesion",
                lesion.toString(), "--threshold", "1.5", "--output-dir", out.toString());
        assertEquals(2, range.exit());
        assertTrue(range.err().contains("[0, 1)"), range.err());
    }

    private static Map<AspectsRegion, LesionFractions.Fraction> fractions(Side side, Map<Structure, Double> f) {
        Map<AspectsRegion, LesionFractions.Fraction> m = new EnumMap<>(AspectsRegion.class);
        for (AspectsRegion r : AspectsRegion.values()) {
            double x = r.side() == side ? f.getOrDefault(r.structure(), 0.0) : 0.0;
            m.put(r, new LesionFractions.Fraction(100, Math.round(x * 100)));
        }
        return m;
    }

    private static TruthTable.Truth truth(String s, Side side, Set<Structure> affected) {
        return new TruthTable.Truth(s, side, affected);
    }

    @Test
    void calibrationPicksTheKnownBestThreshold() {
        // positives 0.9, 0.6, 0.5; negatives 0.55, 0.4, 0.3 and 34 zeros (40 regions). Affected = f > t:
        // t in (0.55, 0.6): J = 2/3; (0.5, 0.55): 2/3 - 1/37; (0.4, 0.5): 1 - 1/37 = 0.97297 (best); (0.3, 0.4):
        // 1 - 2/37. Youden's rule: the middle of the best interval, 0.45.
        var a = new LesionCalibration.Subject(fractions(Side.L, Map.of(Structure.C, 0.9, Structure.L, 0.6,
                Structure.IC, 0.3)), truth("a", Side.L, EnumSet.of(Structure.C, Structure.L)));
        var b = new LesionCalibration.Subject(fractions(Side.R, Map.of(Structure.I, 0.5, Structure.M1, 0.4,
                Structure.M2, 0.55)), truth("b", Side.R, EnumSet.of(Structure.I)));
        LesionCalibration.Result r = LesionCalibration.calibrate(List.of(a, b));
        assertEquals(0.45, r.threshold(), 1e-9);
        assertEquals(1 - 1.0 / 37, r.cut().j(), 1e-9);
        assertEquals(3, r.cut().positives());
        assertEquals(37, r.cut().negatives());
        assertFalse(r.separated());
        // separated classes (the phantom's case: lesions are whole regions): J = 1 over (0.4, 0.5), middle chosen
        var c = new LesionCalibration.Subject(fractions(Side.R, Map.of(Structure.I, 0.5, Structure.M1, 0.4)),
                truth("c", Side.R, EnumSet.of(Structure.I)));
        LesionCalibration.Result s = LesionCalibration.calibrate(List.of(a, c));
        assertTrue(s.separated());
        assertEquals(1.0, s.cut().j(), 1e-12);
        assertEquals(0.45, s.threshold(), 1e-9);
    }

    @Test
    void calibrateToolWritesTheThresholdWithItsCohortAndCommand(@TempDir Path dir) throws Exception {
        // s1: truth C (left) affected; lesion covers C 3/4 and L 1/4 -> positive 0.75, negatives 0.25, 0.5 (right C)
        // s2: no truth, no lesion. Best: t in (0.5, 0.75), J = 1 (separated); middle 0.625.
        Path truthDir = dir.resolve("truth");
        for (String s : List.of("s1", "s2")) {
            Files.createDirectories(truthDir.resolve(s));
            write(truthDir.resolve(s), "labels.nii.gz", row(LABELS));
            write(truthDir.resolve(s), "lesion_mask.nii.gz", row(s.equals("s1") ? LESION : new float[10]));
        }
        Path cohort = Files.writeString(truthDir.resolve("cohort.tsv"),
                "pseudonym\tside\taffected_regions\ns1\tL\tC\ns2\tnone\t-\n");
        Path yaml = dir.resolve("threshold.yaml");
        Result r = deepstroke("aspects-lesion-calibrate", "--truth-dir", truthDir.toString(), "--truth",
                cohort.toString(), "--cohort", "hand-made rows", "--output", yaml.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(0.625, LesionThreshold.read(yaml), 1e-9);
        String text = Files.readString(yaml);
        assertTrue(text.contains("degenerate: true"), text);
        assertTrue(text.contains("cohort: 'hand-made rows'"), text);
        assertTrue(text.contains("command: 'deepstroke aspects-lesion-calibrate --truth-dir "), text);
        // a subject of the table without its files: one line naming the folder, nothing written
        Files.writeString(cohort, "pseudonym\tside\taffected_regions\ns3\tL\tC\n");
        Path other = dir.resolve("other.yaml");
        Result bad = deepstroke("aspects-lesion-calibrate", "--truth-dir", truthDir.toString(), "--truth",
                cohort.toString(), "--cohort", "x", "--output", other.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains(truthDir.resolve("s3") + ": no labels.nii.gz"), bad.err());
        assertFalse(Files.exists(other));
    }

    @Test
    void calibrateToolReadsAMethodsMapsFromACasesTable(@TempDir Path dir) throws Exception {
        // the same fractions as the truth-folder case above, from predicted maps named in a table with relative
        // paths: s1 (truth: left C) C 0.75, L 0.25, right C 0.5; s2 (normal) empty -> 0.625, separated
        Path maps = Files.createDirectories(dir.resolve("unet"));
        write(maps, "s1_labels.nii.gz", row(LABELS));
        write(maps, "s1_lesion.nii.gz", row(LESION));
        write(maps, "s2_labels.nii.gz", row(LABELS));
        write(maps, "s2_lesion.nii.gz", row(new float[10]));
        Path cases = Files.writeString(maps.resolve("cases.tsv"), "subject\tlabels\tlesion\n"
                + "s1\ts1_labels.nii.gz\ts1_lesion.nii.gz\ns2\ts2_labels.nii.gz\ts2_lesion.nii.gz\n");
        Path cohort = Files.writeString(dir.resolve("cohort.tsv"),
                "pseudonym\tside\taffected_regions\ns1\tL\tC\ns2\tnone\t-\ns9\tR\tL\n");
        Path yaml = dir.resolve("threshold.yaml");
        Result r = deepstroke("aspects-lesion-calibrate", "--cases", cases.toString(), "--truth", cohort.toString(),
                "--cohort", "unet validation subjects", "--output", yaml.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(0.625, LesionThreshold.read(yaml), 1e-9);
        String text = Files.readString(yaml);
        assertTrue(text.contains("subjects: 2\n"), "s9 of the truth table has no maps and is left out: " + text);
        assertTrue(text.contains("maps: 'a method''s lesion map x its region map (--cases)'"), text);
        assertTrue(text.contains("(a method's lesion map x its region map (--cases) vs the truth's"), text);
        // both sources, or neither: a usage error; a subject the truth does not know: one line naming the table
        Path other = dir.resolve("other.yaml");
        Result both = deepstroke("aspects-lesion-calibrate", "--cases", cases.toString(), "--truth-dir",
                dir.toString(), "--truth", cohort.toString(), "--cohort", "x", "--output", other.toString());
        assertEquals(2, both.exit(), both.err());
        assertTrue(both.err().contains("exactly one of --truth-dir and --cases"), both.err());
        Files.writeString(cases, "subject\tlabels\tlesion\ns7\ts1_labels.nii.gz\ts1_lesion.nii.gz\n");
        Result unknown = deepstroke("aspects-lesion-calibrate", "--cases", cases.toString(), "--truth",
                cohort.toString(), "--cohort", "x", "--output", other.toString());
        assertEquals(1, unknown.exit(), unknown.err());
        assertEquals("deepstroke aspects-lesion-calibrate: error: " + cases
                + ": line 2: subject s7 is not in the truth table", unknown.err().strip());
        assertFalse(Files.exists(other));
    }

    @Test
    void lesionDiceVolumeErrorAndDetection(@TempDir Path dir) throws Exception {
        // 1 ml voxels. s1: truth 0..3, prediction 2..6: overlap 2, Dice 4/9, error +1 ml.
        // s2: both empty (Dice undefined, true negative). s3: truth empty, 1 predicted voxel (false positive, Dice 0,
        // +1 ml). s4: truth 2 voxels, prediction empty (missed, Dice 0, -2 ml).
        float[][] truth = {{1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, new float[10], new float[10],
                {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}};
        float[][] pred = {{0, 0, 1, 1, 1, 1, 1, 0, 0, 0}, new float[10], {1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                new float[10]};
        StringBuilder pairs = new StringBuilder("subject\tpredicted\ttruth\n");
        for (int i = 0; i < 4; i++) {
            write(dir, "p" + i + ".nii.gz", row(pred[i]));
            write(dir, "t" + i + ".nii.gz", row(truth[i]));
            pairs.append("s").append(i + 1).append("\tp").append(i).append(".nii.gz\tt").append(i)
                    .append(".nii.gz\n");
        }
        Path table = dir.resolve("pairs.tsv");
        Files.writeString(table, pairs.toString());
        Result r = deepstroke("evaluate-lesions", "--pairs", table.toString(), "--name", "lesion-x", "--output-dir",
                dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.err());
        Map<String, Double> m = new java.util.HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("out/lesion-x_lesion_metrics.tsv"));
        assertEquals("metric\tvalue", lines.get(0));
        lines.stream().skip(1).map(l -> l.split("\t")).forEach(c -> m.put(c[0], Double.parseDouble(c[1])));
        assertEquals(4, m.get("lesion_map.n_subjects"), 0);
        assertEquals((4.0 / 9) / 3, m.get("lesion_map.dice_mean"), 1e-4);
        assertEquals(0, m.get("lesion_map.dice_median"), 1e-12);
        assertEquals(0, m.get("lesion_map.volume_error_ml_mean"), 1e-9);
        assertEquals(1.0, m.get("lesion_map.abs_volume_error_ml_mean"), 1e-9);
        assertEquals(0.5, m.get("lesion_map.detection_sensitivity"), 1e-12);
        assertEquals(0.5, m.get("lesion_map.detection_specificity"), 1e-12);
        List<String> subjects = Files.readAllLines(dir.resolve("out/lesion-x_lesion_subjects.tsv"));
        assertEquals("s1\t0.4444\t5.0000\t4.0000\t1.0000\t1\t1", subjects.get(1));
        assertEquals("s2\tNA\t0.0000\t0.0000\t0.0000\t0\t0", subjects.get(2));

        // the same pairs in another order (Nextflow's groupTuple hands them over in arrival order): the same bytes
        List<String> reversed = new java.util.ArrayList<>(Files.readAllLines(table).subList(1, 5));
        java.util.Collections.reverse(reversed);
        Path shuffled = dir.resolve("shuffled.tsv");
        Files.writeString(shuffled, "subject\tpredicted\ttruth\n" + String.join("\n", reversed) + "\n");
        Result again = deepstroke("evaluate-lesions", "--pairs", shuffled.toString(), "--name", "lesion-x",
                "--output-dir", dir.resolve("out2").toString());
        assertEquals(0, again.exit(), again.err());
        for (String f : List.of("lesion-x_lesion_subjects.tsv", "lesion-x_lesion_evaluation.json",
                "lesion-x_lesion_metrics.tsv")) {
            assertEquals(Files.readString(dir.resolve("out").resolve(f)), Files.readString(dir.resolve("out2").resolve(f)), f);
        }
    }
}
