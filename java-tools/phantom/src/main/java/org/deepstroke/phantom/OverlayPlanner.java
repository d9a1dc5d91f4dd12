package org.deepstroke.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Legacy ASPECTS annotations as old workstations burned them into overlay planes: the outlines of the ASPECTS
 * regions on the basal-ganglia slice (C, L, IC, I, M1-M3) and the supraganglionic slice (M4-M6), both hemispheres,
 * as sparse dotted point clouds: 20-60% of the outline pixels kept, 1-3 gaps (missing arcs) per outline, now and
 * then a whole outline missing, and every point jittered by up to 1-2 pixels.
 */
final class OverlayPlanner {

    static final int[] BG_STRUCTURES = {0, 1, 2, 3, 4, 5, 6};
    static final int[] SG_STRUCTURES = {7, 8, 9};
    static final double MISSING_OUTLINE_PROBABILITY = 0.1;

    /** One set overlay pixel and the region whose outline put it there. */
    record Point(int slice, String level, int regionId, int column, int row) {
    }

    /** The overlay of one slice: packed bits (OW words, pixel 0 in bit 0 of word 0) and its points. */
    record SliceOverlay(int slice, String level, short[] words, List<Point> points) {
    }

    record Plan(double keepFraction, int jitterPx, List<SliceOverlay> slices, List<Integer> missingRegionIds) {
        int pointCount() {
            return slices.stream().mapToInt(s -> s.points().size()).sum();
        }
    }

    /** The slice (index along the stack) with the most voxels of the given structures, both sides. */
    static int levelSlice(byte[] labels, int cols, int rows, int slices, int[] structures, int notBelow) {
        boolean[] want = new boolean[21];
        for (int s : structures) {
            want[s + 1] = true;
            want[s + 11] = true;
        }
        int best = -1;
        long bestCount = 0;
        int plane = cols * rows;
        for (int k = Math.max(0, notBelow); k < slices; k++) {
            long count = 0;
            int off = k * plane;
            for (int i = 0; i < plane; i++) {
                if (want[labels[off + i]]) {
                    count++;
                }
            }
            if (count > bestCount) {
                bestCount = count;
                best = k;
            }
        }
        return best;
    }

    static Plan plan(SplittableRandom rnd, byte[] labels, int cols, int rows, int bgSlice, int sgSlice) {
        double keep = Seeds.uniform(rnd, 0.2, 0.6);
        int jitter = 1 + rnd.nextInt(2);
        List<SliceOverlay> out = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        int[] slicesToDraw = {bgSlice, sgSlice};
        String[] levels = {"BG", "SG"};
        int[][] structures = {BG_STRUCTURES, SG_STRUCTURES};
        for (int level = 0; level < 2; level++) {
            int k = slicesToDraw[level];
            if (k < 0 || (level == 1 && k == bgSlice)) {
                continue;
            }
            int plane = cols * rows;
            int[] owner = new int[plane]; // region id that set each pixel (first wins), 0 = not set
            for (int side = 0; side < 2; side++) {
                for (int s : structures[level]) {
                    int id = s + 1 + 10 * side;
                    if (rnd.nextDouble() < MISSING_OUTLINE_PROBABILITY) {
                        missing.add(id);
                        continue;
                    }
                    drawOutline(rnd, labels, k * plane, cols, rows, id, keep, jitter, owner);
                }
            }
            short[] words = new short[(plane + 15) / 16];
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < plane; i++) {
                if (owner[i] != 0) {
                    words[i >> 4] |= (short) (1 << (i & 15));
                    points.add(new Point(k, levels[level], owner[i], i % cols, i / cols));
                }
            }
            out.add(new SliceOverlay(k, levels[level], words, points));
        }
        return new Plan(keep, jitter, out, missing);
    }

    private static void drawOutline(SplittableRandom rnd, byte[] labels, int offset, int cols, int rows, int id,
            double keep, int jitter, int[] owner) {
        List<int[]> edge = new ArrayList<>();
        double cx = 0;
        double cy = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (labels[offset + r * cols + c] != id) {
                    continue;
                }
                boolean boundary = c == 0 || r == 0 || c == cols - 1 || r == rows - 1
                        || labels[offset + r * cols + c - 1] != id || labels[offset + r * cols + c + 1] != id
                        || labels[offset + (r - 1) * cols + c] != id || labels[offset + (r + 1) * cols + c] != id;
                if (boundary) {
                    edge.add(new int[] {c, r});
                    cx += c;
                    cy += r;
                }
            }
        }
        if (edge.isEmpty()) {
            return;
        }
        cx /= edge.size();
        cy /= edge.size();
        // gaps: 1-3 missing arcs of 20-70 degrees, as seen from the outline's centre
        int gaps = 1 + rnd.nextInt(3);
        double[] gapStart = new double[gaps];
        double[] gapWidth = new double[gaps];
        for (int g = 0; g < gaps; g++) {
            gapStart[g] = rnd.nextDouble() * 2 * Math.PI;
            gapWidth[g] = Math.toRadians(Seeds.uniform(rnd, 20, 70));
        }
        for (int[] p : edge) {
            // draw every random number for every point, so the stream does not depend on earlier outcomes
            double u = rnd.nextDouble();
            int jx = rnd.nextInt(2 * jitter + 1) - jitter;
            int jy = rnd.nextInt(2 * jitter + 1) - jitter;
            double angle = Math.atan2(p[1] - cy, p[0] - cx) + Math.PI;
            boolean inGap = false;
            for (int g = 0; g < gaps; g++) {
                double rel = angle - gapStart[g];
                rel -= 2 * Math.PI * Math.floor(rel / (2 * Math.PI));
                if (rel < gapWidth[g]) {
                    inGap = true;
                }
            }
            if (inGap || u >= keep) {
                continue;
            }
            int c = Math.max(0, Math.min(cols - 1, p[0] + jx));
            int r = Math.max(0, Math.min(rows - 1, p[1] + jy));
            int i = r * cols + c;
            if (owner[i] == 0) {
                owner[i] = id;
            }
        }
    }
}
