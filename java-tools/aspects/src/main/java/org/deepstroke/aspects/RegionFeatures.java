package org.deepstroke.aspects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * The extended-ASPECTS feature vector of one hemisphere-region: which structure it is (one-hot), its own HU
 * distribution and texture, its volume, asymmetry indices against the same structure on the other side
 * (differences, and ratios for mean and volume), and the hemisphere deficit difference (how much more the whole
 * side is hypodense than the other, so a classifier can tell the ischaemic side from normal asymmetry).
 */
public final class RegionFeatures {

    private RegionFeatures() {
    }

    /** Feature names and values, in a fixed order; null when the region or its contralateral twin is unmeasured. */
    public static Map<String, Double> of(Map<AspectsRegion, RegionDescriptors> m, Structure s, Side side) {
        RegionDescriptors a = m.get(AspectsScorer.region(s, side));
        RegionDescriptors b = m.get(AspectsScorer.region(s, AspectsScorer.other(side)));
        if (a == null || b == null || !a.measured() || !b.measured()) {
            return null;
        }
        Map<String, Double> f = new LinkedHashMap<>();
        for (Structure t : Structure.values()) {
            f.put("structure_" + t.name(), t == s ? 1.0 : 0.0);
        }
        double[] own = values(a);
        double[] other = values(b);
        for (int i = 0; i < NAMES.size(); i++) {
            f.put(NAMES.get(i), finite(own[i]));
            f.put("asym_" + NAMES.get(i), finite(own[i] - other[i]));
        }
        f.put("relative_hu", finite(a.mean() / b.mean()));
        f.put("volume_ml", a.volumeMl());
        f.put("volume_ratio", finite(a.volumeMl() / b.volumeMl()));
        f.put("hemisphere_deficit_difference",
                AspectsScorer.deficit(m, side) - AspectsScorer.deficit(m, AspectsScorer.other(side)));
        return f;
    }

    static final List<String> NAMES = List.of("mean_hu", "median_hu", "sd_hu", "skewness", "p10_hu", "p25_hu",
            "p75_hu", "p90_hu", "glcm_contrast", "glcm_homogeneity", "glcm_entropy");

    private static double[] values(RegionDescriptors d) {
        return new double[] {d.mean(), d.median(), d.sd(), d.skewness(), d.p10(), d.p25(), d.p75(), d.p90(),
            d.glcmContrast(), d.glcmHomogeneity(), d.glcmEntropy()};
    }

    /** Tribuo needs finite values: a NaN (e.g. skewness of a 1-voxel region) becomes 0. */
    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** Names of the features, for reports. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Structure t : Structure.values()) {
            out.add("structure_" + t.name());
        }
        for (String n : NAMES) {
            out.add(n);
            out.add("asym_" + n);
        }
        out.addAll(List.of("relative_hu", "volume_ml", "volume_ratio", "hemisphere_deficit_difference"));
        return out;
    }
}
