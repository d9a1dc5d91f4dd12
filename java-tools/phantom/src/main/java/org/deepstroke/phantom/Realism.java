package org.deepstroke.phantom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.aspects.AspectsRegion;

/**
 * The realism measures of issue 14 on one axial CT volume (HU), with fixed definitions so phantoms and real scans
 * are measured alike:
 * <ul>
 *   <li>supratentorial brain = brain-mask voxels in the upper 60 % of the mask's slice range;</li>
 *   <li>CSF share = share of those voxels below 15 HU (visible CSF: sulci, ventricles, fissures);</li>
 *   <li>parenchyma HU p5 / p50 / p95 = percentiles of those voxels within 0..80 HU (no air, fat, bone, calcium);</li>
 *   <li>local noise SD = median over supratentorial pixels (every 3rd) of the HU standard deviation in the 7 x 7
 *       pixel window around them, where the whole window lies inside the brain mask;</li>
 *   <li>lentiform minus internal capsule = mean HU (0..80) of the lentiform labels minus that of the internal
 *       capsule labels, both sides (only with an ASPECTS label map).</li>
 * </ul>
 */
public final class Realism {

    /** One volume's measures; NaN where not measurable. */
    public record Row(String name, double csfShare, double p5, double p50, double p95, double noiseSd,
            double lentiformMinusCapsule, long voxels) {

        public String tsv() {
            return String.join("\t", name, f(100 * csfShare, 2), f(p5, 1), f(p50, 1), f(p95, 1), f(noiseSd, 2),
                    f(lentiformMinusCapsule, 2), Long.toString(voxels));
        }
    }

    public static final String HEADER = "name\tcsf_share_pct\tparenchyma_p5\tparenchyma_p50\tparenchyma_p95"
            + "\tlocal_noise_sd\tlentiform_minus_capsule\tsupratentorial_voxels";

    /** The real GE head CT (4 mm), for the goal check: CSF share 4-10 % and each row within x1.5. */
    public static final Row GE_REFERENCE = new Row("real GE head CT (issue 14)", 0.067, 9, 25, 36, 2.7, 4.65, 0);

    private Realism() {
    }

    /**
     * @param hu HU, column fastest, then rows, then slices
     * @param brain brain mask (non-zero = brain)
     * @param labels ASPECTS label ids 0..20, or null
     */
    public static Row measure(String name, float[] hu, byte[] brain, byte[] labels, int cols, int rows, int slices) {
        int plane = cols * rows;
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        for (int k = 0; k < slices; k++) {
            for (int i = 0; i < plane; i++) {
                if (brain[k * plane + i] != 0) {
                    lo = Math.min(lo, k);
                    hi = Math.max(hi, k);
                    break;
                }
            }
        }
        if (hi < 0) {
            return new Row(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        // slices ordered inferior -> superior (the truth grid and NIfTI conversions are)
        int first = lo + (int) Math.floor(0.4 * (hi - lo + 1));
        long count = 0;
        long below = 0;
        List<Float> parenchyma = new ArrayList<>();
        List<Double> sds = new ArrayList<>();
        for (int k = first; k <= hi; k++) {
            int base = k * plane;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = base + r * cols + c;
                    if (brain[i] == 0) {
                        continue;
                    }
                    float v = hu[i];
                    count++;
                    if (v < 15) {
                        below++;
                    }
                    if (v >= 0 && v <= 80) {
                        parenchyma.add(v);
                    }
                    if (r % 3 == 0 && c % 3 == 0) {
                        double sd = windowSd(hu, brain, base, cols, rows, c, r);
                        if (!Double.isNaN(sd)) {
                            sds.add(sd);
                        }
                    }
                }
            }
        }
        float[] p = new float[parenchyma.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = parenchyma.get(i);
        }
        Arrays.sort(p);
        double[] s = sds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double contrast = Double.NaN;
        if (labels != null) {
            double lent = meanOf(hu, labels, AspectsRegion.Structure.values()[1]);
            double caps = meanOf(hu, labels, AspectsRegion.Structure.values()[2]);
            contrast = lent - caps;
        }
        return new Row(name, count == 0 ? Double.NaN : (double) below / count, pct(p, 5), pct(p, 50), pct(p, 95),
                s.length == 0 ? Double.NaN : s[s.length / 2], contrast, count);
    }

    private static double meanOf(float[] hu, byte[] labels, AspectsRegion.Structure structure) {
        int left = AspectsRegion.of(structure, AspectsRegion.Side.L).id();
        int right = AspectsRegion.of(structure, AspectsRegion.Side.R).id();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < hu.length; i++) {
            if ((labels[i] == left || labels[i] == right) && hu[i] >= 0 && hu[i] <= 80) {
                sum += hu[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double windowSd(float[] hu, byte[] brain, int base, int cols, int rows, int c, int r) {
        if (c < 3 || r < 3 || c >= cols - 3 || r >= rows - 3) {
            return Double.NaN;
        }
        double sum = 0;
        double sum2 = 0;
        for (int dr = -3; dr <= 3; dr++) {
            for (int dc = -3; dc <= 3; dc++) {
                int i = base + (r + dr) * cols + c + dc;
                if (brain[i] == 0) {
                    return Double.NaN;
                }
                sum += hu[i];
                sum2 += (double) hu[i] * hu[i];
            }
        }
        double mean = sum / 49;
        return Math.sqrt(Math.max(0, sum2 / 49 - mean * mean) * 49 / 48);
    }

    private static double pct(float[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.round(q / 100 * (sorted.length - 1))));
        return sorted[i];
    }

    /** The cohort's range per measure (min-max over rows). */
    public static String table(List<Row> cohort, List<Row> references) {
        StringBuilder sb = new StringBuilder();
        sb.append("| measure (supratentorial brain) | real GE head CT (issue 14) | goal (x1.5) |");
        for (Row r : references) {
            sb.append(' ').append(r.name()).append(" |");
        }
        if (!cohort.isEmpty()) {
            sb.append(" phantom cohort (").append(cohort.size()).append(" subjects): median (min - max) |");
        }
        sb.append('\n').append("|---|---|---|");
        sb.append("---|".repeat(references.size() + (cohort.isEmpty() ? 0 : 1))).append('\n');
        line(sb, "share of brain-mask voxels below 15 HU (%)", "6.7", "4-10", references, cohort,
                r -> 100 * r.csfShare(), 1);
        line(sb, "parenchyma HU p5", "9", "6-13.5", references, cohort, Row::p5, 1);
        line(sb, "parenchyma HU p50", "25", "16.7-37.5", references, cohort, Row::p50, 1);
        line(sb, "parenchyma HU p95", "36", "24-54", references, cohort, Row::p95, 1);
        line(sb, "local noise SD (7x7 px), median (HU)", "2.7", "1.8-4.05", references, cohort, Row::noiseSd, 2);
        line(sb, "lentiform minus internal capsule (HU)", "4.5-4.8", "3.1-7.2", references, cohort,
                Row::lentiformMinusCapsule, 2);
        return sb.toString();
    }

    private interface Measure {
        double of(Row r);
    }

    private static void line(StringBuilder sb, String label, String real, String goal, List<Row> refs, List<Row> cohort,
            Measure m, int decimals) {
        sb.append("| ").append(label).append(" | ").append(real).append(" | ").append(goal).append(" |");
        for (Row r : refs) {
            sb.append(' ').append(f(m.of(r), decimals)).append(" |");
        }
        if (!cohort.isEmpty()) {
            double[] v = cohort.stream().mapToDouble(m::of).filter(x -> !Double.isNaN(x)).sorted().toArray();
            sb.append(' ').append(v.length == 0 ? "-" : f(v[v.length / 2], decimals) + " (" + f(v[0], decimals)
                    + " - " + f(v[v.length - 1], decimals) + ")").append(" |");
        }
        sb.append('\n');
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
