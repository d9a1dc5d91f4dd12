package org.deepstroke.aspects;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * The relative-HU baseline: per structure, relative HU = mean HU on the scored side / mean HU of the same
 * structure on the other side (both inside the parenchymal window); affected when below the structure's
 * cut-point. The scored side is given, or detected as the side with the larger HU deficit, where a side's deficit
 * is the sum over structures of max(0, 1 - its relative HU). ASPECTS = 10 - affected structures.
 */
public final class AspectsScorer {

    /** One structure's decision on the scored side; relativeHu is NaN when either side was not measured. */
    public record StructureDecision(Structure structure, double relativeHu, double cutpoint, boolean affected) {
    }

    /** The score of one subject. */
    public record Result(Side side, boolean sideDetected, double deficitLeft, double deficitRight, int score,
            List<StructureDecision> decisions) {

        public List<Structure> affected() {
            return decisions.stream().filter(StructureDecision::affected).map(StructureDecision::structure).toList();
        }
    }

    private AspectsScorer() {
    }

    /** The region of {@code structure} on {@code side}. */
    public static AspectsRegion region(Structure structure, Side side) {
        return AspectsRegion.values()[structure.ordinal() + (side == Side.R ? 10 : 0)];
    }

    public static Side other(Side side) {
        return side == Side.L ? Side.R : Side.L;
    }

    /** Mean HU on {@code side} / mean HU on the other side; NaN if either is not measured. */
    public static double relativeHu(Map<AspectsRegion, RegionDescriptors> m, Structure s, Side side) {
        RegionDescriptors ipsi = m.get(region(s, side));
        RegionDescriptors contra = m.get(region(s, other(side)));
        if (ipsi == null || contra == null || !ipsi.measured() || !contra.measured() || !(contra.mean() > 0)) {
            return Double.NaN;
        }
        return ipsi.mean() / contra.mean();
    }

    /** Sum over structures of max(0, 1 - relative HU of {@code side}). */
    public static double deficit(Map<AspectsRegion, RegionDescriptors> m, Side side) {
        double sum = 0;
        for (Structure s : Structure.values()) {
            double r = relativeHu(m, s, side);
            if (!Double.isNaN(r)) {
                sum += Math.max(0, 1 - r);
            }
        }
        return sum;
    }

    /** The side with the larger deficit (left on an exact tie, which only happens for identical hemispheres). */
    public static Side detectSide(Map<AspectsRegion, RegionDescriptors> m) {
        return deficit(m, Side.R) > deficit(m, Side.L) ? Side.R : Side.L;
    }

    /** Scores on {@code side}, or on the detected side when {@code side} is null. */
    public static Result score(Map<AspectsRegion, RegionDescriptors> m, CutPoints cutpoints, Side side) {
        double dl = deficit(m, Side.L);
        double dr = deficit(m, Side.R);
        Side scored = side != null ? side : detectSide(m);
        List<StructureDecision> decisions = new ArrayList<>();
        int affected = 0;
        for (Structure s : Structure.values()) {
            double r = relativeHu(m, s, scored);
            double cut = cutpoints.of(s);
            boolean hit = !Double.isNaN(r) && r < cut;
            affected += hit ? 1 : 0;
            decisions.add(new StructureDecision(s, r, cut, hit));
        }
        return new Result(scored, side == null, dl, dr, 10 - affected, decisions);
    }

    /** Decisions keyed by structure. */
    public static Map<Structure, StructureDecision> byStructure(Result r) {
        Map<Structure, StructureDecision> out = new EnumMap<>(Structure.class);
        r.decisions().forEach(d -> out.put(d.structure(), d));
        return out;
    }
}
