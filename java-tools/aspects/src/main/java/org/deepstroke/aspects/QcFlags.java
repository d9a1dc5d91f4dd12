package org.deepstroke.aspects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Level;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * The checks that say "look at this one before trusting the score": registration quality (overlap of the warped
 * brain with the atlas brain, minimum Jacobian of the warp), region volumes and their left/right balance, the
 * intracranial (brain mask) volume, and whether the scan covers both ASPECTS levels on both sides. Pure function of
 * numbers the steps already produce, so the cohort pipeline can call {@link #evaluate} on the same inputs.
 *
 * <p>Thresholds: a brain overlap (Dice) below 0.93 means the atlas did not land: good registrations of the v2
 * phantoms reached 0.969-0.974, the same scans left unregistered (centre of mass only) 0.747-0.807, and a shift of
 * 6 mm or a turn of 10 deg costs 0.03-0.04 (register's RegistrationQc says how it was measured, and why the NCC,
 * 0.06-0.52 for good registrations there and up to 0.14 for failed ones, is reported but not judged; the old flag
 * "NCC &lt; 0.5" had been set on the old phantoms, where it reached 0.8-0.9); a minimum Jacobian &lt;= 0 means the
 * warp folds; a region's left/right volume ratio outside 0.5..2
 * means the label map is lopsided (normal asymmetry is within 20 %); adult intracranial volumes lie within about
 * 900..2100 ml, the brain mask (parenchyma + CSF inside the skull) within 700..2200 ml; a level counts as covered
 * when every one of its regions has voxels on both sides.
 */
public final class QcFlags {

    public static final double MIN_BRAIN_OVERLAP = 0.93;
    public static final double MIN_JACOBIAN = 0.0;
    public static final double MAX_LR_RATIO = 2.0;
    public static final double MIN_BRAIN_ML = 700;
    public static final double MAX_BRAIN_ML = 2200;

    /** What the checks need beyond the label map; NaN = not known (no registration, no brain mask): not checked. */
    public record Inputs(double brainOverlap, double minJacobian, double brainMl) {
        public static Inputs none() {
            return new Inputs(Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** One check: its code, whether it passed, the measured value and the rule, in words. */
    public record Flag(String code, boolean ok, Object value, String rule) {
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", code);
            m.put("status", ok ? "ok" : "check");
            m.put("value", value);
            m.put("rule", rule);
            return m;
        }
    }

    private QcFlags() {
    }

    /**
     * @param brainOverlap Dice of the warped brain with the atlas brain, or NaN when there was no registration (U-Net
     *     path)
     * @param minJacobian minimum Jacobian determinant of the warp, or NaN likewise
     * @param brainMl the brain mask's volume, or NaN when no mask was given
     * @param regions the per-region measures of aspects-score (volumes of the label map on the CT grid)
     */
    public static List<Flag> evaluate(double brainOverlap, double minJacobian, double brainMl,
            Map<AspectsRegion, RegionDescriptors> regions) {
        List<Flag> flags = new ArrayList<>();
        if (!Double.isNaN(brainOverlap)) {
            flags.add(new Flag("registration_overlap", brainOverlap >= MIN_BRAIN_OVERLAP, round(brainOverlap),
                    "brain overlap (Dice) with the atlas >= " + MIN_BRAIN_OVERLAP));
        }
        if (!Double.isNaN(minJacobian)) {
            flags.add(new Flag("registration_folding", minJacobian > MIN_JACOBIAN, round(minJacobian),
                    "minimum Jacobian determinant > 0 (no folding)"));
        }
        if (!Double.isNaN(brainMl)) {
            flags.add(new Flag("intracranial_volume", brainMl >= MIN_BRAIN_ML && brainMl <= MAX_BRAIN_ML,
                    round(brainMl), String.format(Locale.ROOT, "brain mask %.0f..%.0f ml", MIN_BRAIN_ML,
                            MAX_BRAIN_ML)));
        }
        List<String> lopsided = new ArrayList<>();
        for (Structure s : Structure.values()) {
            double l = volume(regions, AspectsRegion.of(s, Side.L));
            double r = volume(regions, AspectsRegion.of(s, Side.R));
            if (l <= 0 || r <= 0) {
                continue; // reported by the coverage check
            }
            double ratio = l / r;
            if (ratio > MAX_LR_RATIO || ratio < 1 / MAX_LR_RATIO) {
                lopsided.add(s.name() + String.format(Locale.ROOT, " %.2f", ratio));
            }
        }
        flags.add(new Flag("region_volume_left_right", lopsided.isEmpty(), lopsided,
                "left/right volume ratio of every region within 0.5..2"));
        for (Level level : Level.values()) {
            List<String> missing = new ArrayList<>();
            for (AspectsRegion region : AspectsRegion.values()) {
                if (region.level() == level && volume(regions, region) <= 0) {
                    missing.add(region.key());
                }
            }
            flags.add(new Flag("coverage_" + level.name(), missing.isEmpty(), missing,
                    "every " + level.name() + " region present on both sides"));
        }
        return flags;
    }

    public static List<Flag> evaluate(Inputs in, Map<AspectsRegion, RegionDescriptors> regions) {
        return evaluate(in.brainOverlap(), in.minJacobian(), in.brainMl(), regions);
    }

    /** "ok", or "check:" and the codes of the failed checks (the qc column of scores.tsv). */
    public static String summary(List<Flag> flags) {
        List<String> failed = flags.stream().filter(f -> !f.ok()).map(Flag::code).toList();
        return failed.isEmpty() ? "ok" : "check:" + String.join(",", failed);
    }

    /** True when every check passed. */
    public static boolean allOk(List<Flag> flags) {
        return flags.stream().allMatch(Flag::ok);
    }

    private static double volume(Map<AspectsRegion, RegionDescriptors> regions, AspectsRegion r) {
        RegionDescriptors d = regions.get(r);
        return d == null ? 0 : d.volumeMl();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
