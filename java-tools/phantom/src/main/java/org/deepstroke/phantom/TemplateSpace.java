package org.deepstroke.phantom;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiReader;

/**
 * The template inputs on one grid (the CT template's): head HU with air and a scalp added, the ASPECTS label map,
 * the brain mask, a local brain mean (for the grey/white contrast loss of ischaemia) and a CTA vessel tree, plus the
 * head's centre and surface points for planning scan ranges. Read-only once built: shared by all subjects.
 */
public final class TemplateSpace {

    public static final float AIR_HU = -1000f;
    /** HU of the scalp shell added outside the skull (the template has bone directly against air). */
    static final float SCALP_HU = 20f;
    static final int SCALP_VOXELS = 2;
    static final int LOCAL_MEAN_RADIUS = 2; // 5x5x5 voxels = 10 mm box on the 2 mm grid

    final int nx;
    final int ny;
    final int nz;
    final Affine voxelToWorld;
    final Affine worldToVoxel;
    /** Head HU (template with skull, scalp shell, air outside). */
    final float[] hu;
    /** ASPECTS label ids 0..20. */
    final byte[] labels;
    /** Above this HU a voxel of the template's brain support is bone by partial volume, not brain. */
    static final float BRAIN_PROPER_MAX_HU = 100f;

    /** Brain mask 0/1. */
    final byte[] brain;
    /** Mean HU of the brain voxels in a 10 mm box around each brain voxel (0 elsewhere). */
    final float[] localMean;
    /** HU added in the CTA (contrast in a simple vessel tree). */
    final float[] vessels;
    /** Centroid of the head (world mm, RAS). */
    final double[] headCenter;
    /** World coordinates (RAS) of the head surface voxels, for scan ranges. */
    final double[][] headSurface;
    /** Label centroids (world mm, RAS), index = label id; null where the label is absent. */
    final double[][] labelCentroid;
    final long[] labelVoxels;
    /** The independent anatomy (--anatomy mni) each subject's HU is rendered from; null for the template anatomy. */
    final MniTissue mni;

    private TemplateSpace(ImageVolume skull, byte[] labels, byte[] brain) {
        this(skull, labels, brain, null);
    }

    private TemplateSpace(ImageVolume skull, byte[] labels, byte[] brain, MniTissue mni) {
        this.mni = mni;
        this.nx = skull.nx();
        this.ny = skull.ny();
        this.nz = skull.nz();
        this.voxelToWorld = skull.voxelToWorld();
        this.worldToVoxel = voxelToWorld.inverse();
        this.labels = labels;
        this.brain = brain;
        boolean[] head = headMask(skull.data());
        this.hu = headHu(skull.data(), head);
        this.headCenter = centroid(head);
        this.headSurface = surface(head);
        this.localMean = localBrainMean(skull.data(), brain);
        this.labelVoxels = new long[21];
        this.labelCentroid = labelCentroids();
        this.vessels = VesselTree.render(this);
    }

    /**
     * @param brainMask a brain mask (non-zero = brain), or null to use {@code template > 0} without bone-dense
     *     (over 100 HU) voxels
     * @param template the skull-stripped template (HU), used when {@code brainMask} is null
     */
    public static TemplateSpace load(Path templateWithSkull, Path labelMap, Path brainMask, Path template) {
        ImageVolume skull = NiftiReader.read(templateWithSkull);
        if (!skull.voxelToWorld().isOrthogonal(1e-6)) {
            throw new ToolFailure(templateWithSkull, "the template grid must have orthogonal axes (no shear)");
        }
        ImageVolume labelVolume = NiftiReader.read(labelMap);
        byte[] labels = new byte[skull.size()];
        float[] onGrid = nearestOnGrid(labelVolume, skull);
        for (int i = 0; i < onGrid.length; i++) {
            float v = onGrid[i];
            if (v != Math.rint(v) || v < 0 || v > 20) {
                throw new ToolFailure(labelMap, "not an ASPECTS label map: value " + v
                        + " (expected integer ids 0..20: left 1..10, right 11..20)");
            }
            labels[i] = (byte) v;
        }
        Path maskFile = brainMask != null ? brainMask : template;
        if (maskFile == null) {
            throw new IllegalArgumentException("a brain mask or the skull-stripped template is required");
        }
        float[] mask = nearestOnGrid(NiftiReader.read(maskFile), skull);
        byte[] brain = new byte[skull.size()];
        long count = 0;
        // The skull-stripped template's support reaches into the skull by partial volume (about 12% of its voxels
        // read over 100 HU in the image with skull); the brain proper, the truth a skull stripper is judged
        // against, leaves those bone-dense voxels out. An explicit mask is taken as given.
        boolean derived = brainMask == null;
        float[] hu = skull.data();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] > 0 && Float.isFinite(mask[i]) && (!derived || hu[i] <= BRAIN_PROPER_MAX_HU)) {
                brain[i] = 1;
                count++;
            }
        }
        if (count == 0) {
            throw new ToolFailure(maskFile, "the brain mask is empty");
        }
        // Region labels describe brain tissue: a label voxel outside the brain (e.g. cortex labels reaching into
        // the bone-blended rim) is dropped, so the truth labels always lie inside the truth brain mask.
        for (int i = 0; i < labels.length; i++) {
            if (brain[i] == 0) {
                labels[i] = 0;
            }
        }
        TemplateSpace space = new TemplateSpace(skull, labels, brain);
        int present = 0;
        for (int id = 1; id <= 20; id++) {
            present += space.labelVoxels[id] > 0 ? 1 : 0;
        }
        if (present == 0) {
            throw new ToolFailure(labelMap, "the label map has no ASPECTS label (1..20) on the template grid");
        }
        return space;
    }

    /**
     * The space of {@code --anatomy mni}: the MNI grid with the truth labels and the intracranial mask; its HU is
     * the reference look (mean tissue values), used only for planning and the vessel tree: each subject's HU is
     * rendered from the tissue model ({@link MniLook}).
     */
    static TemplateSpace fromMni(MniTissue m) {
        float[] ref = m.referenceHu();
        float[] head = new float[ref.length];
        for (int i = 0; i < ref.length; i++) {
            // the head = everything not air; 0 marks air for the head mask (a tissue voxel at exactly 0 HU is nudged)
            head[i] = ref[i] <= AIR_HU ? 0f : ref[i] == 0f ? 0.01f : ref[i];
        }
        ImageVolume volume = new ImageVolume(m.nx, m.ny, m.nz, head, m.voxelToWorld, 1);
        return new TemplateSpace(volume, m.labels.clone(), m.intracranial.clone(), m);
    }

    /** {@code source} on the grid of {@code grid}: the same array when the grids agree, else nearest neighbour
     * through world coordinates (0 outside). */
    static float[] nearestOnGrid(ImageVolume source, ImageVolume grid) {
        return Interpolation.nearestOnto(source, grid, 1e-3).data();
    }

    int index(int x, int y, int z) {
        return x + nx * (y + ny * z);
    }

    double[] world(int x, int y, int z) {
        return voxelToWorld.apply(x, y, z);
    }

    /** Non-zero template voxels plus the zero voxels they enclose (not reachable from the border). */
    private boolean[] headMask(float[] skull) {
        boolean[] outside = new boolean[skull.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1) {
                        int i = index(x, y, z);
                        if (skull[i] == 0 && !outside[i]) {
                            outside[i] = true;
                            queue.add(i);
                        }
                    }
                }
            }
        }
        int[] step = {1, -1, nx, -nx, nx * ny, -nx * ny};
        while (!queue.isEmpty()) {
            int i = queue.poll();
            int x = i % nx;
            int y = (i / nx) % ny;
            int z = i / (nx * ny);
            for (int d = 0; d < 6; d++) {
                boolean inside = switch (d) {
                    case 0 -> x + 1 < nx;
                    case 1 -> x > 0;
                    case 2 -> y + 1 < ny;
                    case 3 -> y > 0;
                    case 4 -> z + 1 < nz;
                    default -> z > 0;
                };
                if (inside) {
                    int j = i + step[d];
                    if (!outside[j] && skull[j] == 0) {
                        outside[j] = true;
                        queue.add(j);
                    }
                }
            }
        }
        boolean[] head = new boolean[skull.length];
        for (int i = 0; i < head.length; i++) {
            head[i] = !outside[i];
        }
        return head;
    }

    private float[] headHu(float[] skull, boolean[] head) {
        float[] out = new float[skull.length];
        boolean[] grown = head.clone();
        for (int iteration = 0; iteration < SCALP_VOXELS; iteration++) {
            boolean[] next = grown.clone();
            for (int z = 1; z < nz - 1; z++) {
                for (int y = 1; y < ny - 1; y++) {
                    for (int x = 1; x < nx - 1; x++) {
                        int i = index(x, y, z);
                        if (grown[i]) {
                            continue;
                        }
                        next[i] = grown[i - 1] || grown[i + 1] || grown[i - nx] || grown[i + nx]
                                || grown[i - nx * ny] || grown[i + nx * ny];
                    }
                }
            }
            grown = next;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = head[i] ? skull[i] : grown[i] ? SCALP_HU : AIR_HU;
        }
        return out;
    }

    private double[] centroid(boolean[] mask) {
        double sx = 0;
        double sy = 0;
        double sz = 0;
        long n = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    if (mask[index(x, y, z)]) {
                        sx += x;
                        sy += y;
                        sz += z;
                        n++;
                    }
                }
            }
        }
        if (n == 0) {
            throw new ToolFailure("the CT template has no head (all voxels are 0)");
        }
        return voxelToWorld.apply(sx / n, sy / n, sz / n);
    }

    /** Head voxels with a non-head 6-neighbour, widened by the scalp, as world points. */
    private double[][] surface(boolean[] head) {
        List<double[]> points = new ArrayList<>();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = index(x, y, z);
                    if (!head[i]) {
                        continue;
                    }
                    boolean edge = x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1
                            || !head[i - 1] || !head[i + 1] || !head[i - nx] || !head[i + nx]
                            || !head[i - nx * ny] || !head[i + nx * ny];
                    if (edge) {
                        points.add(world(x, y, z));
                    }
                }
            }
        }
        return points.toArray(new double[0][]);
    }

    /** Mean brain HU in a (2r+1)^3 box, over brain voxels only, by separable masked box sums. */
    private float[] localBrainMean(float[] skull, byte[] mask) {
        int n = skull.length;
        double[] sum = new double[n];
        double[] cnt = new double[n];
        for (int i = 0; i < n; i++) {
            if (mask[i] != 0) {
                sum[i] = skull[i];
                cnt[i] = 1;
            }
        }
        int[] dims = {nx, ny, nz};
        int[] strides = {1, nx, nx * ny};
        for (int axis = 0; axis < 3; axis++) {
            sum = boxAlong(sum, dims, strides, axis);
            cnt = boxAlong(cnt, dims, strides, axis);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = mask[i] != 0 && cnt[i] > 0 ? (float) (sum[i] / cnt[i]) : 0f;
        }
        return out;
    }

    private static double[] boxAlong(double[] in, int[] dims, int[] strides, int axis) {
        double[] out = new double[in.length];
        int len = dims[axis];
        int stride = strides[axis];
        int r = LOCAL_MEAN_RADIUS;
        double[] line = new double[len + 1];
        for (int start = 0; start < in.length; start++) {
            // visit each line once: starts are the indices whose coordinate along `axis` is 0
            if ((start / stride) % len != 0) {
                continue;
            }
            line[0] = 0;
            for (int k = 0; k < len; k++) {
                line[k + 1] = line[k] + in[start + k * stride];
            }
            for (int k = 0; k < len; k++) {
                int lo = Math.max(0, k - r);
                int hi = Math.min(len, k + r + 1);
                out[start + k * stride] = line[hi] - line[lo];
            }
        }
        return out;
    }

    private double[][] labelCentroids() {
        double[][] sums = new double[21][3];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int id = labels[index(x, y, z)];
                    if (id > 0) {
                        sums[id][0] += x;
                        sums[id][1] += y;
                        sums[id][2] += z;
                        labelVoxels[id]++;
                    }
                }
            }
        }
        double[][] out = new double[21][];
        for (int id = 1; id <= 20; id++) {
            long c = labelVoxels[id];
            if (c > 0) {
                out[id] = voxelToWorld.apply(sums[id][0] / c, sums[id][1] / c, sums[id][2] / c);
            }
        }
        return out;
    }

    /** The template's HU volume (with scalp and air) as an image, e.g. for QC. */
    public ImageVolume headVolume() {
        return new ImageVolume(nx, ny, nz, hu.clone(), voxelToWorld, 1);
    }
}
