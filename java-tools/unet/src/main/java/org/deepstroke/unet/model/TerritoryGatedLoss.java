package org.deepstroke.unet.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Level;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.deepstroke.unet.data.LabelScheme;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Territory-aware gated loss (TAGL): a training-only penalty, added to {@link DiceCELoss}, that asks the prediction
 * to keep the two ASPECTS levels apart along the superior-inferior axis. The idea is from Azeem, Khan, Syed
 * (arXiv 2602.23961: "gating supervision on BG-level confidence", combined with CE + Dice); only their abstract is
 * available, so the formula below is ours.
 *
 * <p>Axis: probabilities are [N, C, D, H, W] and D is the superior-inferior axis, increasing upwards: the net grid's
 * index 2 runs along world z (RAS "S", {@code NetGrid}) and the arrays are laid out [z][y][x]
 * ({@code CtNormalisation#channels}), so D = z and one D index is one axial slice; slice z + 1 lies above z.
 *
 * <p>Per batch element and axial slice z, with p the softmax output and the class sets from the region contract
 * ({@link AspectsRegion#level()}: BG = C, L, IC, I, M1-M3; SG = M4-M6; both hemispheres):
 * <pre>
 *   m_BG(z) = sum over BG classes and the slice's voxels of p,   m_SG(z) likewise,   f(z) = m_BG + m_SG
 *   c(z)    = m_BG / (f + eps)                                   level confidence (eps = 1e-6)
 *   s(z)    = f / (sum of p over all classes in the slice)       foreground share (= f / slice voxels)
 *   gBG(z)  = [c > tau] [s > rho],   gSG(z) = [1 - c > tau] [s > rho]          (tau in [0.5, 1): exclusive)
 *   L_lvl   = sum_z (gBG m_SG + gSG m_BG) / (f + eps)  /  max(1, sum_z (gBG + gSG))
 *   b(z)    = gBG(z) gSG(z + 1)                                  a BG -> SG boundary between z and z + 1
 *   d_k(z)  = 1 - (2 sum_xy a b + 1e-5) / (sum_xy a + sum_xy b + 1e-5),  a = p[M_k](z), b = p[M_(k+3)](z + 1)
 *   L_cont  = sum_z b(z) mean_k d_k(z)  /  max(1, sum_z b(z))
 *   TAGL    = weight (L_lvl + L_cont)                            sums run over batch elements too
 * </pre>
 * k runs over the pairs (M1, M4), (M2, M5), (M3, M6) of each hemisphere (21 classes: left with left, right with
 * right, never across; 11 classes: the merged pairs). Why this shape:
 * <ul>
 * <li>The gate comes from the prediction, not the labels, and is a hard step without gradient: the penalty only
 * acts where the network itself is already confident about the level, so it sharpens a decision the network made
 * (Dice + CE decide which level a slice is) instead of fighting the labels on the mixed transition slices, where
 * c is between 1 - tau and tau and nothing is gated. Slices with almost no BG/SG mass (above the vertex, below the
 * basal ganglia) are left out by rho: their c is noise.</li>
 * <li>L_lvl is the minority level's share of the slice's foreground, so it lies in [0, 1 - tau) on a gated slice
 * and does not depend on slice size or on how much of the slice is brain; averaging over gated slices keeps its
 * scale independent of the volume size and of how many slices are confident.</li>
 * <li>L_cont: the supraganglionic territories continue the ganglionic ones upwards (M4 lies above M1, M5 above M2,
 * M6 above M3; regions.tsv's descriptions), so where the prediction switches level from one slice to the next the
 * in-plane footprint of M_k on the last BG slice and of M_(k+3) on the first SG slice should overlap: one minus
 * their soft Dice. Only immediate switches (a confident BG slice directly below a confident SG slice) count; a
 * transition through unconfident slices does not fire it.</li>
 * </ul>
 * The pairing comes from the region contract ({@code AspectsRegion.Structure#continuationAbove}).
 *
 * <p>SameDiff (DL4J 1.0.0-M2.1): the gate is {@code gt(x, t)} (BOOL) cast to FLOAT; a BOOL variable is not
 * differentiated, so the backward pass stops there and the gate acts as a constant. Measured: the graph's gradient
 * with respect to the logits equals central differences of {@link #compute} (to 2e-4, max |gradient| 1.9e-3 on the
 * test fixture), and a 1-epoch training with TAGL ends with other weights than the same run without it.
 * The continuity term slices D with {@code stridedSlice} (begin/end masks, so D stays dynamic).
 */
public final class TerritoryGatedLoss {

    public static final double EPS = 1e-6;
    /** Smoothing of the continuity soft Dice (as DiceCE's). */
    public static final double SMOOTH = DiceCELoss.SMOOTH;

    /**
     * @param weight the TAGL term's weight against DiceCE (total = DiceCE + weight (L_lvl + L_cont))
     * @param gate tau: a slice is confidently BG when c > tau, confidently SG when 1 - c > tau; in [0.5, 1)
     * @param minForeground rho: slices whose BG + SG share is at most this are never gated
     */
    public record Settings(double weight, double gate, double minForeground) {

        public static final double DEFAULT_WEIGHT = 0.1;
        public static final double DEFAULT_GATE = 0.8;
        public static final double DEFAULT_MIN_FOREGROUND = 0.02;

        public Settings {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("TAGL weight must be >= 0, got " + weight);
            }
            if (!(gate >= 0.5 && gate < 1)) {
                throw new IllegalArgumentException("TAGL gate threshold must be in [0.5, 1), got " + gate);
            }
            if (!(minForeground >= 0 && minForeground < 1)) {
                throw new IllegalArgumentException("TAGL minimum foreground share must be in [0, 1), got "
                        + minForeground);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_WEIGHT, DEFAULT_GATE, DEFAULT_MIN_FOREGROUND);
        }

        public Map<String, String> asParams() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("tagl_weight", Double.toString(weight));
            m.put("tagl_gate", Double.toString(gate));
            m.put("tagl_min_foreground", Double.toString(minForeground));
            return m;
        }

        /** One line naming the settings (checkpoint state: a resume must use the loss it started with). */
        public String describe() {
            return String.format(Locale.ROOT, "TAGL(weight=%s,gate=%s,min_foreground=%s)", weight, gate,
                    minForeground);
        }
    }

    /** Class indices of one scheme: BG-level classes, SG-level classes, and the (BG, SG) continuation pairs. */
    record Classes(int[] bg, int[] sg, int[][] pairs) {

        static Classes of(int classes) {
            List<Integer> bg = new ArrayList<>();
            List<Integer> sg = new ArrayList<>();
            for (int c = 1; c < classes; c++) {
                // class c of either scheme is region id c (11 classes: the left id stands for the merged structure)
                (AspectsRegion.ofId(c).level() == Level.BG ? bg : sg).add(c);
            }
            List<int[]> pairs = new ArrayList<>();
            List<Side> sides = classes == 11 ? List.of(Side.L) : List.of(Side.L, Side.R);
            for (Side side : sides) {
                for (Structure below : Structure.values()) {
                    below.continuationAbove().ifPresent(above -> pairs.add(new int[] {
                            LabelScheme.toClass(AspectsRegion.of(below, side).id(), classes),
                            LabelScheme.toClass(AspectsRegion.of(above, side).id(), classes)}));
                }
            }
            return new Classes(bg.stream().mapToInt(Integer::intValue).toArray(),
                    sg.stream().mapToInt(Integer::intValue).toArray(), pairs.toArray(int[][]::new));
        }
    }

    private TerritoryGatedLoss() {
    }

    /**
     * Adds TAGL (weight included) to a graph; probs are [N, C, D, H, W] with C = 11 or 21 and D the superior-inferior
     * axis. Returns the scalar named {@code name}.
     */
    public static SDVariable graph(SameDiff sd, SDVariable probs, int classes, Settings settings, String name) {
        Classes k = Classes.of(classes);
        SDVariable perSlice = probs.sum(3, 4); // [N, C, D]
        SDVariable mBg = perSlice.mul(classMask(sd, name + "_bg_mask", classes, k.bg())).sum(true, 1); // [N, 1, D]
        SDVariable mSg = perSlice.mul(classMask(sd, name + "_sg_mask", classes, k.sg())).sum(true, 1);
        SDVariable all = perSlice.sum(true, 1);
        SDVariable fg = mBg.add(mSg);
        SDVariable denom = fg.add(EPS);
        SDVariable conf = mBg.div(denom);
        SDVariable enough = gate(fg.div(all), settings.minForeground());
        SDVariable gBg = gate(conf, settings.gate()).mul(enough);
        SDVariable gSg = gate(conf.rsub(1.0), settings.gate()).mul(enough);
        SDVariable penalty = gBg.mul(mSg).add(gSg.mul(mBg)).div(denom).sum();
        SDVariable gated = gBg.add(gSg).sum();
        SDVariable level = penalty.div(sd.math().max(gated, sd.constant(Nd4j.scalar(DataType.FLOAT, 1f))));

        // boundaries: slice z confidently BG, z + 1 confidently SG -> [N, 1, D - 1]
        SDVariable boundary = lower(sd, gBg, 3).mul(upper(sd, gSg, 3));
        SDVariable dissimilarity = null;
        for (int[] pair : k.pairs()) {
            SDVariable a = lower(sd, classVolume(sd, probs, pair[0]), 5); // [N, 1, D - 1, H, W]
            SDVariable b = upper(sd, classVolume(sd, probs, pair[1]), 5);
            SDVariable inter = a.mul(b).sum(3, 4).mul(2.0).add(SMOOTH);
            SDVariable sums = a.sum(3, 4).add(b.sum(3, 4)).add(SMOOTH);
            SDVariable d = inter.div(sums).rsub(1.0); // [N, 1, D - 1]
            dissimilarity = dissimilarity == null ? d : dissimilarity.add(d);
        }
        SDVariable continuity = boundary.mul(dissimilarity.div(k.pairs().length)).sum()
                .div(sd.math().max(boundary.sum(), sd.constant(Nd4j.scalar(DataType.FLOAT, 1f))));
        return level.add(continuity).mul(name, settings.weight());
    }

    /** [x > t] as FLOAT 0/1; comparison output is BOOL, which SameDiff does not differentiate through. */
    private static SDVariable gate(SDVariable x, double t) {
        return x.gt(t).castTo(DataType.FLOAT);
    }

    /** A constant [1, C, 1] with 1 at {@code members}. */
    private static SDVariable classMask(SameDiff sd, String name, int classes, int[] members) {
        float[] m = new float[classes];
        for (int c : members) {
            m[c] = 1f;
        }
        return sd.constant(name, Nd4j.create(m, new long[] {1, classes, 1}, 'c'));
    }

    /** probs[:, c:c+1] */
    private static SDVariable classVolume(SameDiff sd, SDVariable probs, int c) {
        return sd.stridedSlice(probs, new long[] {0, c, 0, 0, 0}, new long[] {0, c + 1, 0, 0, 0},
                new long[] {1, 1, 1, 1, 1}, 0b11101, 0b11101, 0, 0, 0);
    }

    /** x[:, :, 0 : D - 1, ...]: axis 2 (D, dynamic) without its last slice; x has {@code rank} axes. */
    private static SDVariable lower(SameDiff sd, SDVariable x, int rank) {
        return slice(sd, x, 2, rank, 0, -1, false);
    }

    /** x[:, :, 1 : D, ...]: axis 2 without its first slice. */
    private static SDVariable upper(SameDiff sd, SDVariable x, int rank) {
        return slice(sd, x, 2, rank, 1, 0, true);
    }

    private static SDVariable slice(SameDiff sd, SDVariable x, int axis, int rank, long from, long to,
            boolean toEnd) {
        long[] begin = new long[rank];
        long[] end = new long[rank];
        long[] strides = new long[rank];
        int beginMask = 0;
        int endMask = 0;
        for (int i = 0; i < rank; i++) {
            strides[i] = 1;
            if (i == axis) {
                begin[i] = from;
                end[i] = to;
                if (toEnd) {
                    endMask |= 1 << i;
                }
            } else {
                beginMask |= 1 << i;
                endMask |= 1 << i;
            }
        }
        return sd.stridedSlice(x, begin, end, strides, beginMask, endMask, 0, 0, 0);
    }

    /** The terms computed in plain Java (validation loss, and the reference the tests compare the graph against). */
    public record Value(double level, double continuity, int gatedSlices, int boundaries, double total) {
    }

    /**
     * @param probs softmax probabilities per batch element as [classes][voxels], voxels laid out [z][y][x]
     *        (probs[n][c][v], v = x + W (y + H z)); z the superior-inferior axis
     * @param depth D, the number of axial slices (voxels per slice = length / D)
     */
    public static Value compute(float[][][] probs, int depth, Settings settings) {
        int classes = probs[0].length;
        Classes k = Classes.of(classes);
        int plane = probs[0][0].length / depth;
        double penalty = 0;
        int gated = 0;
        double continuity = 0;
        int boundaries = 0;
        for (float[][] p : probs) {
            boolean[] gBg = new boolean[depth];
            boolean[] gSg = new boolean[depth];
            for (int z = 0; z < depth; z++) {
                double bg = mass(p, k.bg(), z, plane);
                double sg = mass(p, k.sg(), z, plane);
                double all = mass(p, null, z, plane);
                double fg = bg + sg;
                double conf = bg / (fg + EPS);
                boolean enough = fg / all > settings.minForeground();
                gBg[z] = enough && conf > settings.gate();
                gSg[z] = enough && 1 - conf > settings.gate();
                if (gBg[z]) {
                    penalty += sg / (fg + EPS);
                    gated++;
                } else if (gSg[z]) {
                    penalty += bg / (fg + EPS);
                    gated++;
                }
            }
            for (int z = 0; z + 1 < depth; z++) {
                if (gBg[z] && gSg[z + 1]) {
                    double d = 0;
                    for (int[] pair : k.pairs()) {
                        d += 1 - softDice(p[pair[0]], z * plane, p[pair[1]], (z + 1) * plane, plane);
                    }
                    continuity += d / k.pairs().length;
                    boundaries++;
                }
            }
        }
        double level = penalty / Math.max(1, gated);
        double cont = continuity / Math.max(1, boundaries);
        return new Value(level, cont, gated, boundaries, settings.weight() * (level + cont));
    }

    /** Sum of p over {@code members} (all classes when null) in slice z. */
    private static double mass(float[][] p, int[] members, int z, int plane) {
        double s = 0;
        for (int c = 0; c < p.length; c++) {
            if (members != null && java.util.Arrays.binarySearch(members, c) < 0) {
                continue;
            }
            for (int v = z * plane; v < (z + 1) * plane; v++) {
                s += p[c][v];
            }
        }
        return s;
    }

    private static double softDice(float[] a, int aFrom, float[] b, int bFrom, int n) {
        double inter = 0;
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < n; i++) {
            inter += (double) a[aFrom + i] * b[bFrom + i];
            sa += a[aFrom + i];
            sb += b[bFrom + i];
        }
        return (2 * inter + SMOOTH) / (sa + sb + SMOOTH);
    }
}
