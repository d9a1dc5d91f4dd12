package org.deepstroke.aspects;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * Re-derives the relative-HU cut-points from labelled cases by Youden's J, per structure. Positives: relative HU of
 * an affected structure on the truth's affected side. Negatives: relative HU of the unaffected structures on that
 * side, and for subjects without ischaemia of every structure on both sides (in use, their scored side is whichever
 * looks worse, so both are fair negatives).
 */
public final class Calibration {

    /** One structure's result; {@code cut} NaN when a class had no case (the base cut-point is kept). */
    public record Row(Structure structure, Youden.Cut youden, double auc, double base, double chosen) {
    }

    private Calibration() {
    }

    public static List<Row> calibrate(Map<String, DescriptorTable.Subject> descriptors,
            Map<String, TruthTable.Truth> truth, CutPoints base) {
        Map<Structure, List<Double>> pos = new EnumMap<>(Structure.class);
        Map<Structure, List<Double>> neg = new EnumMap<>(Structure.class);
        for (Structure s : Structure.values()) {
            pos.put(s, new ArrayList<>());
            neg.put(s, new ArrayList<>());
        }
        for (DescriptorTable.Subject d : descriptors.values()) {
            TruthTable.Truth t = truth.get(d.subject());
            if (t == null) {
                continue;
            }
            List<Side> sides = t.side() == null ? List.of(Side.L, Side.R) : List.of(t.side());
            for (Side side : sides) {
                for (Structure s : Structure.values()) {
                    double r = AspectsScorer.relativeHu(d.regions(), s, side);
                    if (!Double.isNaN(r)) {
                        (t.affected(s, side) ? pos : neg).get(s).add(r);
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Structure s : Structure.values()) {
            double[] p = pos.get(s).stream().mapToDouble(Double::doubleValue).toArray();
            double[] n = neg.get(s).stream().mapToDouble(Double::doubleValue).toArray();
            Youden.Cut cut = Youden.lowerIsPositive(p, n);
            boolean[] truthFlags = new boolean[p.length + n.length];
            double[] score = new double[p.length + n.length];
            for (int i = 0; i < p.length; i++) {
                truthFlags[i] = true;
                score[i] = -p[i];
            }
            for (int i = 0; i < n.length; i++) {
                score[p.length + i] = -n[i];
            }
            double auc = Evaluation.auc(truthFlags, score);
            double chosen = Double.isNaN(cut.cut()) ? base.of(s) : cut.cut();
            rows.add(new Row(s, cut, auc, base.of(s), chosen));
        }
        return rows;
    }

    /** The calibrated cut-points (window of the descriptors). */
    public static CutPoints cutPoints(List<Row> rows, HuInclusionRange window, String source) {
        Map<Structure, Double> v = new EnumMap<>(Structure.class);
        rows.forEach(r -> v.put(r.structure(), r.chosen()));
        return new CutPoints(v, window, source);
    }
}
