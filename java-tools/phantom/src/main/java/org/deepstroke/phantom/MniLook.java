package org.deepstroke.phantom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One subject's CT appearance of the MNI anatomy, SynthSeg-style: tissue fractions -> HU with per-subject random
 * tissue values, age-related atrophy (sulci and ventricles widened, ventricles asymmetrically), leukoaraiosis,
 * lacunes, a chronic infarct, calcifications, and the skull and scalp synthesised around the intracranial space.
 * Early ischaemic change is applied in the affected ASPECTS regions as it looks on NCCT: grey matter pulled towards
 * white (loss of grey-white differentiation), a 2-6 HU drop and sulcal effacement (CSF replaced by swollen tissue).
 * Chronic lesions are CSF-like and lie outside the acute lesion truth: ASPECTS must not count them.
 *
 * <p>Tissue values were set against the issue's real GE column (README "Realism"), on tuning seeds only: white
 * matter 23-29 HU, cortex 5-8 HU above it, deep grey 8-10 HU above it (pallidum 1.5 HU less;
 * the public lentiform and capsule masks blend both tissues, so the measured lentiform-capsule difference is ~half), CSF 0-8 HU.
 */
record MniLook(double wmHu, double greyContrast, double deepContrast, double csfHu, double atrophy,
        double ventricleLeftMm, double ventricleRightMm, double leukoHu, double leukoExtentMm, double[] leukoPhase,
        List<Sphere> lacunes, Sphere chronicInfarct, List<Calcification> calcifications, double skullGapMm,
        double skullMm, double tableHu, double diploeHu, double scalpMm, double effacement) {

    /** A CSF-like sphere (voxel index of its centre on the MNI grid, radius mm). */
    record Sphere(int centre, double radiusMm) {
    }

    /** A calcification: centre (MNI RAS mm), Gaussian radius mm, peak HU. */
    record Calcification(String site, double[] centreMm, double radiusMm, double peakHu) {
    }

    /** The rendered subject volume on the MNI grid: HU without the scanner offset, and the acute lesion. */
    record Render(float[] hu, boolean[] lesion) {
    }

    /** Mean values, no pathology: for planning and the vessel tree. */
    static MniLook reference() {
        return new MniLook(26, 6.5, 5, 4, 0, 0, 0, 0, 0, new double[3], List.of(), null, List.of(), 1, 7, 1500,
                700, 5, 0);
    }

    /**
     * Draws a subject's look. {@code chronic}: whether the subject carries a chronic infarct (the cohort plan puts
     * one in half of the normal subjects, the confounder-only cases, and in a quarter of the others).
     */
    static MniLook draw(SplittableRandom rnd, MniTissue t, int ageYears, boolean chronic) {
        double wm = Seeds.uniform(rnd, 23, 29);
        double grey = Seeds.uniform(rnd, 5, 8);
        double deep = Seeds.uniform(rnd, 8, 10);
        double csf = Seeds.uniform(rnd, 0, 8);
        // atrophy grows with age: none at 45, up to ~1 at 92
        double age = Math.max(0, Math.min(1, (ageYears - 45) / 47.0));
        double atrophy = age * Seeds.uniform(rnd, 0.4, 1.0);
        double widen = atrophy * Seeds.uniform(rnd, 1, 4);
        double asym = Seeds.uniform(rnd, 0.75, 1.25);
        double leuko = rnd.nextDouble() < 0.2 + 0.6 * age ? Seeds.uniform(rnd, 3, 8) : 0;
        double leukoExtent = Seeds.uniform(rnd, 5, 12);
        double[] phase = {Seeds.uniform(rnd, 0, 6.3), Seeds.uniform(rnd, 0, 6.3), Seeds.uniform(rnd, 0, 6.3)};
        List<Sphere> lacunes = new ArrayList<>();
        int nLacunes = rnd.nextDouble() < 0.15 + 0.5 * age ? 1 + rnd.nextInt(3) : 0;
        for (int j = 0; j < nLacunes && t.deepSites.length > 0; j++) {
            lacunes.add(new Sphere(t.deepSites[rnd.nextInt(t.deepSites.length)], Seeds.uniform(rnd, 1.5, 4)));
        }
        Sphere infarct = chronic && t.cortexSites.length > 0
                ? new Sphere(t.cortexSites[rnd.nextInt(t.cortexSites.length)], Seeds.uniform(rnd, 6, 16)) : null;
        List<Calcification> calcs = new ArrayList<>();
        if (rnd.nextDouble() < 0.5 + 0.3 * age) {
            calcs.add(new Calcification("pineal", new double[] {0, -30, 4}, Seeds.uniform(rnd, 1.5, 3),
                    Seeds.uniform(rnd, 150, 500)));
        }
        if (rnd.nextDouble() < 0.4 + 0.4 * age) {
            double h = Seeds.uniform(rnd, 120, 350);
            calcs.add(new Calcification("choroid plexus L", new double[] {-28, -40, 14}, 2.5, h));
            calcs.add(new Calcification("choroid plexus R", new double[] {28, -40, 14}, 2.5, h));
        }
        if (rnd.nextDouble() < 0.15 * (1 + age)) {
            double h = Seeds.uniform(rnd, 80, 200);
            calcs.add(new Calcification("pallidum L", new double[] {-19, -4, -1}, 1.5, h));
            calcs.add(new Calcification("pallidum R", new double[] {19, -4, -1}, 1.5, h));
        }
        if (rnd.nextDouble() < 0.2) {
            calcs.add(new Calcification("falx", new double[] {0, Seeds.uniform(rnd, -20, 20), Seeds.uniform(rnd, 40,
                    60)}, 1.5, Seeds.uniform(rnd, 200, 600)));
        }
        return new MniLook(wm, grey, deep, csf, atrophy, widen * asym, widen / asym, leuko, leukoExtent, phase,
                lacunes, infarct, calcs, Seeds.uniform(rnd, 0.5, 1.5), Seeds.uniform(rnd, 5, 9),
                Seeds.uniform(rnd, 1300, 1800), Seeds.uniform(rnd, 500, 900), Seeds.uniform(rnd, 4, 7),
                Seeds.uniform(rnd, 0.5, 1.0));
    }

    /**
     * Renders the subject on the MNI grid.
     *
     * @param affectedIds ASPECTS label ids with early ischaemic change (null or empty: none)
     * @param ischaemia {hu drop, grey-white contrast loss} (null: none)
     */
    Render render(MniTissue t, int[] affectedIds, double[] ischaemia) {
        int n = t.size();
        float[] hu = new float[n];
        boolean[] lesion = new boolean[n];
        boolean[] affected = new boolean[21];
        if (affectedIds != null) {
            for (int id : affectedIds) {
                affected[id] = true;
            }
        }
        double drop = ischaemia == null ? 0 : ischaemia[0];
        double loss = ischaemia == null ? 0 : ischaemia[1];
        double midlineX = t.voxelToWorld.inverse().apply(0, 0, 0)[0]; // voxel x of world x = 0
        for (int i = 0; i < n; i++) {
            if (t.intracranial[i] == 0) {
                hu[i] = extracranial(t.outside[i]);
                continue;
            }
            boolean isLesion = affected[t.labels[i]];
            lesion[i] = isLesion;
            hu[i] = intracranialHu(t, i, midlineX, isLesion, drop, loss);
        }
        addFocalLesions(t, hu);
        return new Render(hu, lesion);
    }

    /**
     * HU of intracranial voxel {@code i}: its tissue fractions sharpened, widened by atrophy and, in the lesion,
     * effaced, then mixed with the subject's tissue values (leukoaraiosis, ischaemia). One recipe: each step
     * rewrites the same grey / white / CSF fractions.
     */
    private float intracranialHu(MniTissue t, int i, double midlineX, boolean isLesion, double drop, double loss) {
        int nx = t.nx;
        int ny = t.ny;
        double g = t.gm[i];
        double w = t.wm[i];
        double c = t.csf[i];
        // The ICBM maps average 152 brains: sulcal CSF is smeared into 10-50 % fractions that read as tissue on
        // CT. One brain has crisp sulci: the CSF fraction is sharpened (0.1 -> 0, 0.55 -> 1) before the look.
        double sharp = Math.max(0, Math.min(1, (c - 0.1) / 0.45));
        if (sharp != c) {
            double tissue = g + w;
            if (tissue > 0) {
                g *= (1 - sharp) / tissue;
                w *= (1 - sharp) / tissue;
            }
            c = sharp;
        }
        // sulcal widening where sulci are
        double conv = Math.min(g, atrophy * 0.6 * t.csfNear[i]);
        g -= conv;
        c += conv;
        // ventricular widening (voxel x above the midline index = world x < 0 = left on FSL's LAS grid)
        int x = i % nx;
        double r = x > midlineX ? ventricleLeftMm : ventricleRightMm;
        double fv = t.fromVentricle[i];
        if (fv > 0 && r > 0) {
            double f = Math.max(0, Math.min(1, r + 0.5 - fv));
            g *= 1 - f;
            w *= 1 - f;
            c = 1 - g - w;
        }
        if (isLesion) {
            // sulcal effacement: swollen tissue takes the CSF's place
            double moved = c * effacement;
            double tissue = g + w;
            c -= moved;
            if (tissue > 0) {
                g += moved * g / tissue;
                w += moved * w / tissue;
            } else {
                g += moved;
            }
        }
        double whiteHu = wmHu;
        if (leukoHu > 0 && fv > 0 && fv < leukoExtentMm) {
            int y = (i / nx) % ny;
            int z = i / (nx * ny);
            double patch = 0.5 + 0.5 * Math.sin(x * 0.35 + leukoPhase[0]) * Math.sin(y * 0.3 + leukoPhase[1])
                    * Math.sin(z * 0.4 + leukoPhase[2]);
            whiteHu -= leukoHu * (1 - fv / leukoExtentMm) * (0.5 + patch);
        }
        byte deep = t.deepGrey[i];
        double greyHu = wmHu + (deep == 1 ? deepContrast : deep == 2 ? deepContrast - 1.5 : greyContrast);
        if (isLesion) {
            greyHu -= loss * (greyHu - whiteHu);
            greyHu -= drop;
            whiteHu -= drop;
        }
        return (float) (g * greyHu + w * whiteHu + c * csfHu);
    }

    /** The chronic confounders over the rendered tissue: lacunes, the chronic infarct, calcifications. */
    private void addFocalLesions(MniTissue t, float[] hu) {
        for (Sphere s : lacunes) {
            sphere(t, hu, s, csfHu + 2, 0);
        }
        if (chronicInfarct != null) {
            // encephalomalacia (CSF-like) with a gliotic rim 8 HU below the tissue
            sphere(t, hu, chronicInfarct, csfHu + 3, 3);
        }
        for (Calcification calc : calcifications) {
            calcification(t, hu, calc);
        }
    }

    private float extracranial(float d) {
        double gap = skullGapMm;
        if (d <= gap) {
            return (float) (csfHu + 8); // dura and the thin subarachnoid rim
        }
        double s = d - gap;
        if (s <= skullMm) {
            double table = Math.min(1.5, skullMm / 4);
            return (float) (s <= table || s >= skullMm - table ? tableHu : diploeHu);
        }
        double sc = s - skullMm;
        if (sc <= scalpMm) {
            // skin and galea 35 HU with a subcutaneous fat layer in the middle third
            return (float) (sc > scalpMm / 3 && sc < 2 * scalpMm / 3 ? -90 : 35);
        }
        return TemplateSpace.AIR_HU;
    }

    private static void sphere(MniTissue t, float[] hu, Sphere s, double coreHu, double rimMm) {
        int nx = t.nx;
        int ny = t.ny;
        int cx = s.centre() % nx;
        int cy = (s.centre() / nx) % ny;
        int cz = s.centre() / (nx * ny);
        int reach = (int) Math.ceil(s.radiusMm() + rimMm + 1);
        for (int z = Math.max(0, cz - reach); z <= Math.min(t.nz - 1, cz + reach); z++) {
            for (int y = Math.max(0, cy - reach); y <= Math.min(ny - 1, cy + reach); y++) {
                for (int x = Math.max(0, cx - reach); x <= Math.min(nx - 1, cx + reach); x++) {
                    int i = x + nx * (y + ny * z);
                    if (t.intracranial[i] == 0) {
                        continue;
                    }
                    double d = Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz));
                    double f = Math.max(0, Math.min(1, s.radiusMm() + 0.5 - d));
                    if (f > 0) {
                        hu[i] = (float) ((1 - f) * hu[i] + f * coreHu);
                    } else if (rimMm > 0 && d < s.radiusMm() + rimMm) {
                        hu[i] -= 8;
                    }
                }
            }
        }
    }

    private static void calcification(MniTissue t, float[] hu, Calcification c) {
        double[] v = t.voxelToWorld.inverse().apply(c.centreMm()[0], c.centreMm()[1], c.centreMm()[2]);
        int reach = (int) Math.ceil(3 * c.radiusMm());
        int cx = (int) Math.round(v[0]);
        int cy = (int) Math.round(v[1]);
        int cz = (int) Math.round(v[2]);
        for (int z = Math.max(0, cz - reach); z <= Math.min(t.nz - 1, cz + reach); z++) {
            for (int y = Math.max(0, cy - reach); y <= Math.min(t.ny - 1, cy + reach); y++) {
                for (int x = Math.max(0, cx - reach); x <= Math.min(t.nx - 1, cx + reach); x++) {
                    int i = x + t.nx * (y + t.ny * z);
                    double d2 = (x - v[0]) * (x - v[0]) + (y - v[1]) * (y - v[1]) + (z - v[2]) * (z - v[2]);
                    double f = Math.exp(-d2 / (2 * c.radiusMm() * c.radiusMm()));
                    hu[i] = (float) Math.max(hu[i], hu[i] + f * (c.peakHu() - hu[i]));
                }
            }
        }
    }

    /** What truth.json records of the look. */
    Map<String, Object> describe(MniTissue t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("white_matter_hu", TruthWriter.r(wmHu, 2));
        m.put("cortex_minus_white_hu", TruthWriter.r(greyContrast, 2));
        m.put("deep_grey_minus_white_hu", TruthWriter.r(deepContrast, 2));
        m.put("csf_hu", TruthWriter.r(csfHu, 2));
        m.put("atrophy", TruthWriter.r(atrophy, 3));
        m.put("ventricle_widening_mm", new double[] {TruthWriter.r(ventricleLeftMm, 2),
            TruthWriter.r(ventricleRightMm, 2)});
        m.put("leukoaraiosis_hu", TruthWriter.r(leukoHu, 2));
        List<Map<String, Object>> chronic = new ArrayList<>();
        for (Sphere s : lacunes) {
            chronic.add(sphereInfo("lacune", t, s));
        }
        if (chronicInfarct != null) {
            chronic.add(sphereInfo("chronic infarct", t, chronicInfarct));
        }
        m.put("chronic_lesions", chronic);
        m.put("chronic_note", "CSF-like, not part of lesion_mask.nii.gz: ASPECTS must not count them");
        List<Map<String, Object>> calcs = new ArrayList<>();
        for (Calcification c : calcifications) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("site", c.site());
            x.put("centre_mni_mm", c.centreMm());
            x.put("peak_hu", TruthWriter.r(c.peakHu(), 1));
            calcs.add(x);
        }
        m.put("calcifications", calcs);
        m.put("skull_mm", TruthWriter.r(skullMm, 2));
        m.put("scalp_mm", TruthWriter.r(scalpMm, 2));
        m.put("sulcal_effacement_in_lesion", TruthWriter.r(effacement, 3));
        return m;
    }

    private static Map<String, Object> sphereInfo(String kind, MniTissue t, Sphere s) {
        int x = s.centre() % t.nx;
        int y = (s.centre() / t.nx) % t.ny;
        int z = s.centre() / (t.nx * t.ny);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("centre_mni_mm", t.voxelToWorld.apply(x, y, z));
        m.put("radius_mm", TruthWriter.r(s.radiusMm(), 2));
        m.put("aspects_label_at_centre", t.labels[s.centre()]);
        return m;
    }
}
