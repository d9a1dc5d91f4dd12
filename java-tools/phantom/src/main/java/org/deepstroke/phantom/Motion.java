package org.deepstroke.phantom;

import java.util.SplittableRandom;
import org.deepstroke.core.image.Affine;

/**
 * Head motion during the axial NCCT (issue 14 item 3): from slice {@code k0} on the patient moves for a contiguous
 * run of slices and either returns (a transient jerk) or settles in a new position that the rest of the series keeps.
 * The motion is in-plane and rigid: a rotation about the axis normal to the slice planes through the head's centre
 * (the head turning on the table: the commonest motion) plus an in-plane translation. The scanner does not know: the
 * DICOM geometry stays nominal, the pixels of the moved slices show the displaced head.
 *
 * <p>Time runs in slice acquisitions: slice {@code k0 + j} is acquired over {@code t} in {@code [j, j + 1]}. The
 * displacement is {@code s(t)} times the peak ({@code rotationDeg}, {@code shiftColumnsMm}, {@code shiftRowsMm}):
 * transient {@code s(t) = sin(pi t / L)} for {@code t} in {@code [0, L]} (out and back over {@code L} slices),
 * settling {@code s(t) = sin(pi/2 min(1, t / L))} (the move takes {@code L} slices, then the head rests at the peak
 * to the end of the series). Within a slice the gantry sees the head along its path: the slice is the mean of 3-5
 * positions at evenly spaced times ({@link #positions()}; one where the head rests), and its truth labels, brain and
 * lesion masks are sampled at the mean of those displacements (the centre of the blur), so the truth is where the
 * image shows the head.
 *
 * <p>Ranges drawn ({@link #draw}): start at 10-90 % of the series' slices (the series spans the head plus 8 mm
 * margins); {@code L} = 1-6 slices; a quarter of the moving subjects settle; peak rotation 1-4 deg either way; peak
 * translation 1-5 mm in a uniformly drawn in-plane direction. Values are rounded to 0.01 (deg, mm) and rendered as
 * recorded. Which subjects move is {@link SubjectSpec.Plan}'s exact count of {@code --motion-share} (default 0:
 * nobody, and the output is byte-identical to the generator before motion existed). The thin bone series, made from
 * the same acquisition, moves with the NCCT slice acquired at its table position; the CTA and the scout do not.
 *
 * @param startFraction where the run starts, as a fraction of the series' slices (0 when there is no motion)
 * @param slices {@code L}: slices the motion lasts (transient) or takes to settle; 0 = no motion
 * @param settles whether the head stays displaced to the end of the series
 * @param rotationDeg peak rotation about the slice normal ({@code rowDir x colDir}), positive from the image's +column
 *     towards its +row direction
 * @param shiftColumnsMm peak translation along the image rows (towards increasing column index), mm
 * @param shiftRowsMm peak translation along the image columns (towards increasing row index), mm
 */
record Motion(double startFraction, int slices, boolean settles, double rotationDeg, double shiftColumnsMm,
        double shiftRowsMm) {

    static final Motion NONE = new Motion(0, 0, false, 0, 0, 0);
    /** Share of the moving subjects whose head settles in the new position (the rest return). */
    static final double SETTLE_SHARE = 0.25;
    /** Distance from the head's centre (mm) at which the peak displacement sets the number of blur positions. */
    static final double RIM_MM = 75;
    /** Path length (mm, at {@link #RIM_MM}) per blur position. */
    static final double MM_PER_POSITION = 2.5;

    /** One moving subject's motion, from its own seeded stream (the subject's other draws stay as they were). */
    static Motion draw(SplittableRandom rnd) {
        double start = Seeds.uniform(rnd, 0.1, 0.9);
        int slices = 1 + rnd.nextInt(6);
        boolean settles = rnd.nextDouble() < SETTLE_SHARE;
        double rotation = Seeds.uniform(rnd, 1, 4) * (rnd.nextBoolean() ? 1 : -1);
        double shift = Seeds.uniform(rnd, 1, 5);
        double direction = Seeds.uniform(rnd, 0, 2 * Math.PI);
        return new Motion(round2(start), slices, settles, round2(rotation), round2(shift * Math.cos(direction)),
                round2(shift * Math.sin(direction)));
    }

    boolean moves() {
        return slices > 0;
    }

    /** The first moved slice of an {@code n}-slice series. */
    int firstSlice(int n) {
        return Math.min(n - 1, (int) Math.floor(n * startFraction));
    }

    /** The last moved slice of an {@code n}-slice series (the last slice when the head settles). */
    int lastSlice(int n) {
        return settles ? n - 1 : Math.min(n - 1, firstSlice(n) + slices - 1);
    }

    /** Positions per moving slice: one per {@link #MM_PER_POSITION} of the peak displacement at the rim, 3-5. */
    int positions() {
        double rim = Math.hypot(shiftColumnsMm, shiftRowsMm) + Math.toRadians(Math.abs(rotationDeg)) * RIM_MM;
        return Math.max(3, Math.min(5, 1 + (int) Math.ceil(rim / MM_PER_POSITION)));
    }

    /** The displacement fraction {@code s(t)}, {@code t} in slice times from the start of the run. */
    double path(double t) {
        if (t <= 0) {
            return 0;
        }
        if (settles) {
            return Math.sin(Math.PI / 2 * Math.min(1, t / slices));
        }
        return t >= slices ? 0 : Math.sin(Math.PI * t / slices);
    }

    /**
     * The displacement fractions slice {@code k} of an {@code n}-slice series is averaged over, or null when the
     * slice is not moved: one value where the head rests, else {@link #positions()} values at evenly spaced times.
     */
    double[] samples(int k, int n) {
        if (!moves() || k < firstSlice(n) || k > lastSlice(n)) {
            return null;
        }
        int m = positions();
        double[] s = new double[m];
        boolean still = true;
        for (int i = 0; i < m; i++) {
            s[i] = path(k - firstSlice(n) + (i + 0.5) / m);
            still &= s[i] == s[0];
        }
        return still ? new double[] {s[0]} : s;
    }

    /**
     * The head's poses while one slice is acquired, as {@link #sampling} transforms (null = not moved): {@code centre}
     * for the truth labels and masks, {@code path} the positions whose mean the pixels are.
     */
    record Pose(Affine centre, Affine[] path) {
        static final Pose STILL = new Pose(null, new Affine[] {null});
    }

    /** The poses of slice {@code k} of an {@code n}-slice series of {@code g}'s orientation ({@code centreLps}: the
     * head's centre). */
    Pose pose(int k, int n, SeriesGeometry g, double[] centreLps) {
        double[] s = samples(k, n);
        if (s == null) {
            return Pose.STILL;
        }
        Affine[] path = new Affine[s.length];
        for (int i = 0; i < s.length; i++) {
            path[i] = sampling(s[i], g, centreLps);
        }
        return new Pose(sampling(centre(s), g, centreLps), path);
    }

    /** The centre of the blur: the mean of {@code samples}. */
    static double centre(double[] samples) {
        double sum = 0;
        for (double s : samples) {
            sum += s;
        }
        return sum / samples.length;
    }

    /**
     * Where the static head point seen at LPS {@code p} comes from when the head is displaced by fraction {@code s}:
     * the inverse of {@code x -> c + R(s rotation)(x - c) + s shift}, {@code R} about the slice normal of {@code g},
     * {@code c} the head's centre (LPS). Maps every slice plane of {@code g} onto itself.
     */
    Affine sampling(double s, SeriesGeometry g, double[] centreLps) {
        double[] u = g.rowDir();
        double[] v = g.colDir();
        double[] n = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
        double a = -Math.toRadians(s * rotationDeg);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double[][] r = new double[3][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) { // Rodrigues: R = cos I + sin [n]x + (1 - cos) n n^T
                r[i][j] = (i == j ? cos : 0) + sin * cross(n, i, j) + (1 - cos) * n[i] * n[j];
            }
        }
        double[] shifted = new double[3];
        for (int i = 0; i < 3; i++) { // x = c + R (p - shift - c) = R p + (c - R (shift + c))
            shifted[i] = centreLps[i] + s * (shiftColumnsMm * u[i] + shiftRowsMm * v[i]);
        }
        for (int i = 0; i < 3; i++) {
            r[i][3] = centreLps[i] - (r[i][0] * shifted[0] + r[i][1] * shifted[1] + r[i][2] * shifted[2]);
        }
        return Affine.ofRows(r[0], r[1], r[2]);
    }

    /** Element (i, j) of the cross-product matrix {@code [n]x}. */
    private static double cross(double[] n, int i, int j) {
        if (i == j) {
            return 0;
        }
        int k = 3 - i - j;
        double sign = (j == (i + 1) % 3) ? -1 : 1;
        return sign * n[k];
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
