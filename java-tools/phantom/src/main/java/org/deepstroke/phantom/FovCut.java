package org.deepstroke.phantom;

import java.util.SplittableRandom;

/**
 * A field of view cut short (issue 14 item 2): a scan planned too low loses the vertex, 10-40 mm of the head's
 * table range with the scalp (the upper supraganglionic cortex goes first); one planned too high loses the skull
 * base, 15-45 mm (posterior fossa, temporal poles). The scout still shows the whole head.
 *
 * @param vertexMm mm lost at the vertex, 0 for none
 * @param baseMm mm lost at the skull base, 0 for none
 */
record FovCut(double vertexMm, double baseMm) {

    static final FovCut NONE = new FovCut(0, 0);
    /** Shares of --anatomy mni subjects cut at the vertex / at the skull base (never both). */
    static final double VERTEX_SHARE = 0.15;
    static final double BASE_SHARE = 0.15;

    /** One subject's cut, from its own seeded stream (the subject's other draws stay as they were). */
    static FovCut draw(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double mm = rnd.nextDouble();
        if (u < VERTEX_SHARE) {
            return new FovCut(Math.round(10 * (10 + 30 * mm)) / 10.0, 0);
        }
        if (u < VERTEX_SHARE + BASE_SHARE) {
            return new FovCut(0, Math.round(10 * (15 + 30 * mm)) / 10.0);
        }
        return NONE;
    }

    /** The table range {@code [lo, hi]} (lo at the skull base) this cut leaves. */
    double[] apply(double[] range) {
        return new double[] {range[0] + baseMm, range[1] - vertexMm};
    }
}
