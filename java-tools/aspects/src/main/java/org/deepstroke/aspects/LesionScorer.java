package org.deepstroke.aspects;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * ASPECTS from lesion fractions: the scored side is the hemisphere with more lesion voxels inside its ten regions
 * (L when neither has any: then nothing is affected and the side is moot); a region on that side is affected when
 * its lesion fraction is strictly above the threshold.
 */
public final class LesionScorer {

    /** The decision: side, whether the side came from lesion voxels (false: no lesion in any region), affected. */
    public record Result(Side side, boolean sideFromLesion, Set<Structure> affected, long lesionLeft,
            long lesionRight) {
        public int score() {
            return 10 - affected.size();
        }
    }

    private LesionScorer() {
    }

    public static Result score(Map<AspectsRegion, LesionFractions.Fraction> fractions, double threshold) {
        long left = 0;
        long right = 0;
        for (var e : fractions.entrySet()) {
            if (e.getKey().side() == Side.L) {
                left += e.getValue().lesionVoxels();
            } else {
                right += e.getValue().lesionVoxels();
            }
        }
        Side side = right > left ? Side.R : Side.L;
        Set<Structure> affected = EnumSet.noneOf(Structure.class);
        for (Structure s : Structure.values()) {
            if (fractions.get(AspectsRegion.of(s, side)).fraction() > threshold) {
                affected.add(s);
            }
        }
        return new Result(side, left + right > 0, affected, left, right);
    }
}
