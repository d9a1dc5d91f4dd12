package org.deepstroke.phantom;

import java.util.SplittableRandom;
import org.deepstroke.phantom.dicom.Ds;

/**
 * Variable slice spacing within one NCCT series (issue 14 item 3), opt-in ({@code --spacing-step-share}): the
 * series is acquired in two segments, as a real GE head CT of ours was (4.2 mm steps over the posterior fossa, then
 * 7.4 mm above: a step ratio of 1.76, both from 4 mm slices). The lower segment, from the first slice up to the split,
 * keeps the subject's step {@code s1}; the upper one, to the top of the head, steps {@code s2 = s1 x ratio}. Every
 * slice keeps the series' one nominal thickness (that of the lower segment, which equals its step in this
 * generator): the spacing varies, not the reconstruction, so the upper segment leaves gaps of {@code s2 - s1}
 * between its slices that no slice images, as on that GE series. (A first version made the upper slices as thick as
 * their step; dicomdir-scan rejects a series whose Slice Thickness changes, rule mixed_thickness, so such a subject
 * never reached the pipeline; the real series' thickness is one value.)
 *
 * <p>Ranges drawn ({@link #draw}), our assumption (one real series seen, and the two-segment head protocols that
 * image the posterior fossa thinner than the cerebrum): the split at {@code splitFraction} = 25-45 % of the series'
 * extent from its lowest slice (the posterior-fossa part of a series that spans the head plus 8 mm margins), the
 * ratio 1.5-2.0. Both rounded to 0.01; {@code s2} rounded to 0.01 mm. With the thickest NCCT of the generator
 * (7.5 mm) the upper steps reach 11-15 mm: kept, the converter must cope with any ratio.
 *
 * <p>The geometry written is the truth: Image Position (Patient), Slice Location and Slice Thickness per slice, and
 * Spacing Between Slices per slice as the step of its own segment (what a scanner writes for the images of each
 * acquisition group). The thin bone series (a 1 mm reconstruction of the same acquisition) stays regular; the CTA
 * and the scout do not change. Which subjects are affected is {@link SubjectSpec.Plan}'s exact count of
 * {@code --spacing-step-share} (default 0: none, every output byte-identical to the generator before this existed).
 *
 * @param splitFraction where the upper segment starts, as a fraction of the regular series' extent; 0 = regular
 * @param ratio {@code s2 / s1}
 */
record SpacingStep(double splitFraction, double ratio) {

    static final SpacingStep NONE = new SpacingStep(0, 0);

    /** One affected subject's segments, from its own seeded stream (the subject's other draws stay as they were). */
    static SpacingStep draw(SplittableRandom rnd) {
        double split = Seeds.uniform(rnd, 0.25, 0.45);
        double ratio = Seeds.uniform(rnd, 1.5, 2.0);
        return new SpacingStep(round2(split), round2(ratio));
    }

    boolean present() {
        return ratio > 0;
    }

    /**
     * The two segments of a series whose first slice is at table position {@code z0} and which must reach table
     * position {@code hi} and lower step {@code s1} (the thickness is the series' one value): the regular series
     * would have {@code n = ceil((hi - z0) / s1) + 1} slices; the split slice is
     * {@code round(splitFraction (n - 1))} (at least 1), the upper segment has as many slices of step {@code s2} as
     * reach {@code hi}.
     */
    Segments segments(double z0, double hi, double s1) {
        int regular = (int) Math.ceil((hi - z0) / s1) + 1;
        int split = Math.max(1, (int) Math.round(splitFraction * (regular - 1)));
        double s2 = Ds.round(Math.round(s1 * ratio * 100) / 100.0);
        int upper = Math.max(1, (int) Math.ceil((hi - z0 - split * s1) / s2 - 1e-9));
        return new Segments(split, split + 1 + upper, s1, s2);
    }

    /**
     * The table layout of a two-segment series: slices {@code 0..split} at step {@code s1}, slices
     * {@code split + 1 .. slices - 1} at step {@code s2} above the split slice (every slice of the series' thickness).
     */
    record Segments(int split, int slices, double s1, double s2) {

        /** Table offset (mm, along +z) of slice k from slice 0. */
        double offset(int k) {
            return k <= split ? k * s1 : split * s1 + (k - split) * s2;
        }

        /** The step of the segment slice k belongs to. */
        double step(int k) {
            return k <= split ? s1 : s2;
        }

        /** The slice nearest to table offset {@code mm} (may lie outside 0..slices-1, like a regular grid's). */
        int sliceAt(double mm) {
            double top = split * s1;
            return mm <= top ? (int) Math.round(mm / s1) : split + (int) Math.round((mm - top) / s2);
        }

        /** Table length the slices cover (each slice its own step, as {@code slices x step} of a regular one). */
        double coverage() {
            return (split + 1) * s1 + (slices - split - 1) * s2;
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
