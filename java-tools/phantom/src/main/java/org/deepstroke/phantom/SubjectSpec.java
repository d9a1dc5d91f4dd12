package org.deepstroke.phantom;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.deepstroke.core.aspects.AspectsRegion;

/** Everything drawn for one subject before any image is made: identity, pose, appearance, ischaemia, acquisition. */
final class SubjectSpec {

    /** Relative frequency of each structure being affected in an MCA stroke (insula and lentiform most often). */
    private static final double[] AFFECTED_WEIGHT = {1.5, 2.5, 1.5, 3.0, 1.5, 2.5, 1.5, 1.5, 2.0, 1.5};
    /** Weights of k = 1..10 affected regions. */
    private static final double[] K_WEIGHT = {5, 5, 4, 4, 3, 3, 2, 2, 1, 1};

    final int index;
    // identity (synthetic PHI: goes into DICOM only, never into the truth)
    final String patientName;
    final String patientId;
    final String sex;
    final LocalDate birthDate;
    final int ageYears;
    final int weightKg;
    final LocalDate studyDate;
    final LocalTime studyTime;
    final String accession;
    final String studyId;
    final Demographics.Site site;
    final Demographics.Scanner scanner;
    final String referringPhysician;
    final String operator;
    final String deviceSerial;
    // pose: native world = c_n + R (template world - c_t); R = Rz(rz) Ry(ry) Rx(rx) in RAS
    final double[] rotationDeg;
    final double[] translationMm;
    final double tableZ;
    final double deformationMaxMm;
    // appearance
    final double huOffset;
    final double noiseSigma;
    // ischaemia
    final String side; // "L", "R" or null
    final List<Integer> affected; // structure indices 0..9, ascending
    final double deltaHu;
    final double contrastLoss;
    // acquisition
    final int matrix;
    final double fovMm;
    final double[] reconOffsetMm;
    final double ncctThickness;
    final double tiltDeg;
    final boolean overlay;
    final boolean overlayInDerived;
    final String contrastAgent;
    final int contrastVolumeMl;
    final double ctdiNcct;
    final double ctdiCta;
    final Motion motion;
    final BeamHardening beamHardening;
    final SpacingStep spacingStep;
    // --anatomy mni only (template: scale 1, no look, full coverage)
    final double headScale;
    final FovCut fovCut;
    final MniLook look;
    final String kernelClass;

    private SubjectSpec(Builder b) {
        headScale = b.headScale;
        fovCut = b.fovCut;
        look = b.look;
        kernelClass = b.kernelClass;
        index = b.index;
        patientName = b.patientName;
        patientId = b.patientId;
        sex = b.sex;
        birthDate = b.birthDate;
        ageYears = b.ageYears;
        weightKg = b.weightKg;
        studyDate = b.studyDate;
        studyTime = b.studyTime;
        accession = b.accession;
        studyId = b.studyId;
        site = b.site;
        scanner = b.scanner;
        referringPhysician = b.referringPhysician;
        operator = b.operator;
        deviceSerial = b.deviceSerial;
        rotationDeg = b.rotationDeg;
        translationMm = b.translationMm;
        tableZ = b.tableZ;
        deformationMaxMm = b.deformationMaxMm;
        huOffset = b.huOffset;
        noiseSigma = b.noiseSigma;
        side = b.side;
        affected = List.copyOf(b.affected);
        deltaHu = b.deltaHu;
        contrastLoss = b.contrastLoss;
        matrix = b.matrix;
        fovMm = b.fovMm;
        reconOffsetMm = b.reconOffsetMm;
        ncctThickness = b.ncctThickness;
        tiltDeg = b.tiltDeg;
        overlay = b.overlay;
        overlayInDerived = b.overlayInDerived;
        contrastAgent = b.contrastAgent;
        contrastVolumeMl = b.contrastVolumeMl;
        ctdiNcct = b.ctdiNcct;
        ctdiCta = b.ctdiCta;
        motion = b.motion;
        beamHardening = b.beamHardening;
        spacingStep = b.spacingStep;
    }

    int k() {
        return affected.size();
    }

    int aspects() {
        return 10 - affected.size();
    }

    /** Label ids (1..20) of the affected regions. */
    int[] affectedIds() {
        return affected.stream().mapToInt(s -> s + 1 + ("R".equals(side) ? 10 : 0)).toArray();
    }

    List<String> affectedCodes() {
        return affected.stream().map(i -> AspectsRegion.Structure.values()[i].code()).toList();
    }

    /** Which subjects are normal, tilted, overlaid (and overlaid in a derived copy), moving, with
     * streaks, with a spacing step: exact counts from the
     * shares, spread over the cohort by seeded shuffles (each its own, so a new share moves none of the others). */
    record Plan(boolean[] normal, boolean[] tilt, boolean[] overlay, boolean[] derived, boolean[] motion,
            boolean[] streaks, boolean[] spacingStep) {
        static Plan of(CohortSettings s) {
            int n = s.subjects();
            boolean[] normal = pickShare(s.seed(), "normal", n, s.normalShare());
            boolean[] tilt = pickShare(s.seed(), "tilt", n, s.tiltShare());
            boolean[] overlay = pickShare(s.seed(), "overlay", n, s.overlayShare());
            boolean[] derived = new boolean[n];
            List<Integer> withOverlay = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (overlay[i]) {
                    withOverlay.add(i);
                }
            }
            Collections.shuffle(withOverlay, new java.util.Random(Seeds.derive(s.seed(), "derived")));
            for (int j = 0; j < withOverlay.size() / 2; j++) {
                derived[withOverlay.get(j)] = true;
            }
            return new Plan(normal, tilt, overlay, derived, pickShare(s.seed(), "motion", n, s.motionShare()),
                    pickShare(s.seed(), "streaks", n, s.streakShare()),
                    pickShare(s.seed(), "spacing-step", n, s.spacingStepShare()));
        }

        private static boolean[] pickShare(long seed, String what, int n, double share) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new java.util.Random(Seeds.derive(seed, "plan", what)));
            int count = (int) Math.round(share * n);
            boolean[] out = new boolean[n];
            for (int j = 0; j < count; j++) {
                out[order.get(j)] = true;
            }
            return out;
        }
    }

    static SubjectSpec draw(CohortSettings settings, Plan plan, int index) {
        return draw(settings, plan, index, null);
    }

    /** @param mni the independent anatomy (its draws are added), or null for the template anatomy */
    static SubjectSpec draw(CohortSettings settings, Plan plan, int index, MniTissue mni) {
        SplittableRandom rnd = Seeds.random(settings.seed(), "subject", index, "spec");
        Builder b = new Builder();
        b.index = index;
        b.site = Demographics.pick(rnd, Demographics.SITES);
        b.scanner = Demographics.pick(rnd, Demographics.SCANNERS);
        b.sex = rnd.nextBoolean() ? "F" : "M";
        String given = Demographics.pick(rnd, "F".equals(b.sex) ? Demographics.GIVEN_F : Demographics.GIVEN_M);
        String family = Demographics.pick(rnd, Demographics.FAMILY);
        b.patientName = family + "^" + given + (rnd.nextDouble() < 0.4 ? "^" + Demographics.pick(rnd, Demographics.MIDDLE) : "");
        b.patientId = b.site.idPrefix() + String.format("%07d", rnd.nextInt(10_000_000));
        b.studyDate = LocalDate.of(2016, 1, 1).plusDays(rnd.nextInt(8 * 365));
        b.studyTime = LocalTime.of(rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60));
        b.ageYears = 45 + rnd.nextInt(48);
        b.birthDate = b.studyDate.minusYears(b.ageYears).minusDays(1 + rnd.nextInt(364));
        b.weightKg = 50 + rnd.nextInt(60);
        b.accession = b.studyDate.getYear() + String.format("%08d", rnd.nextInt(100_000_000));
        b.studyId = Integer.toString(1000 + rnd.nextInt(90000));
        b.referringPhysician = Demographics.pick(rnd, Demographics.FAMILY) + "^"
                + Demographics.pick(rnd, rnd.nextBoolean() ? Demographics.GIVEN_F : Demographics.GIVEN_M);
        b.operator = Demographics.pick(rnd, Demographics.STAFF);
        b.deviceSerial = Integer.toString(10000 + rnd.nextInt(890000));

        b.rotationDeg = new double[] {Seeds.uniform(rnd, -10, 10), Seeds.uniform(rnd, -10, 10), Seeds.uniform(rnd, -10, 10)};
        b.translationMm = new double[] {Seeds.uniform(rnd, -15, 15), Seeds.uniform(rnd, -15, 15), Seeds.uniform(rnd, -15, 15)};
        b.tableZ = Math.round(Seeds.uniform(rnd, -350, 350));
        b.deformationMaxMm = Seeds.uniform(rnd, 2.5, 6.0);
        b.huOffset = Seeds.uniform(rnd, -6, 6);
        b.noiseSigma = Seeds.uniform(rnd, 2, 6);

        boolean normal = plan.normal()[index];
        b.affected = new ArrayList<>();
        if (normal) {
            b.side = null;
            b.deltaHu = 0;
            b.contrastLoss = 0;
        } else {
            b.side = rnd.nextBoolean() ? "L" : "R";
            int k = 1 + weightedIndex(rnd, K_WEIGHT);
            double[] w = AFFECTED_WEIGHT.clone();
            for (int j = 0; j < k; j++) {
                int s = weightedIndex(rnd, w);
                b.affected.add(s);
                w[s] = 0;
            }
            Collections.sort(b.affected);
            b.deltaHu = Seeds.uniform(rnd, 2, 8);
            b.contrastLoss = Seeds.uniform(rnd, 0.3, 0.8);
        }

        b.matrix = settings.matrix();
        b.fovMm = 215 + rnd.nextInt(36); // 215..250 mm: 0.42..0.49 mm pixels at 512
        b.reconOffsetMm = new double[] {Seeds.uniform(rnd, -5, 5), Seeds.uniform(rnd, -5, 5)};
        b.ncctThickness = new double[] {4.0, 4.5, 5.0}[rnd.nextInt(3)];
        double tilt = Math.round(2 * Seeds.uniform(rnd, 15, 20)) / 2.0;
        b.tiltDeg = plan.tilt()[index] ? (rnd.nextBoolean() ? tilt : -tilt) : 0;
        b.overlay = plan.overlay()[index];
        b.overlayInDerived = plan.derived()[index];
        b.contrastAgent = Demographics.pick(rnd, Demographics.CONTRAST_AGENTS);
        b.contrastVolumeMl = 50 + 5 * rnd.nextInt(7);
        b.ctdiNcct = Math.round(Seeds.uniform(rnd, 42, 62) * 100) / 100.0;
        b.ctdiCta = Math.round(Seeds.uniform(rnd, 18, 32) * 100) / 100.0;
        b.motion = plan.motion()[index] ? Motion.draw(Seeds.random(settings.seed(), "subject", index, "motion"))
                : Motion.NONE;
        b.beamHardening = plan.streaks()[index]
                ? BeamHardening.draw(Seeds.random(settings.seed(), "subject", index, "beam-hardening"))
                : BeamHardening.NONE;
        b.spacingStep = plan.spacingStep()[index]
                ? SpacingStep.draw(Seeds.random(settings.seed(), "subject", index, "spacing-step"))
                : SpacingStep.NONE;
        if (mni != null) {
            drawMni(b, settings, normal, mni);
        }
        return new SubjectSpec(b);
    }

    private static int weightedIndex(SplittableRandom rnd, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = rnd.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0 && weights[i] > 0) {
                return i;
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        throw new IllegalStateException("no positive weight");
    }

    private static final class Builder {
        int index;
        String patientName;
        String patientId;
        String sex;
        LocalDate birthDate;
        int ageYears;
        int weightKg;
        LocalDate studyDate;
        LocalTime studyTime;
        String accession;
        String studyId;
        Demographics.Site site;
        Demographics.Scanner scanner;
        String referringPhysician;
        String operator;
        String deviceSerial;
        double[] rotationDeg;
        double[] translationMm;
        double tableZ;
        double deformationMaxMm;
        double huOffset;
        double noiseSigma;
        String side;
        List<Integer> affected;
        double deltaHu;
        double contrastLoss;
        int matrix;
        double fovMm;
        double[] reconOffsetMm;
        double ncctThickness;
        double tiltDeg;
        boolean overlay;
        boolean overlayInDerived;
        String contrastAgent;
        int contrastVolumeMl;
        double ctdiNcct;
        double ctdiCta;
        Motion motion = Motion.NONE;
        BeamHardening beamHardening = BeamHardening.NONE;
        SpacingStep spacingStep = SpacingStep.NONE;
        double headScale = 1;
        FovCut fovCut = FovCut.NONE;
        MniLook look;
        String kernelClass = "soft";
    }

    /**
     * This subject without any spatial variation: no rotation, translation, scaling, deformation, motion or
     * beam hardening (native
     * world = the anatomy's world, shifted to the head centre and table position): for the truth test.
     */
    SubjectSpec withoutVariation() {
        Builder b = builder(this);
        b.rotationDeg = new double[3];
        b.translationMm = new double[3];
        b.deformationMaxMm = 0;
        b.headScale = 1;
        b.fovCut = FovCut.NONE;
        b.motion = Motion.NONE;
        b.beamHardening = BeamHardening.NONE;
        return new SubjectSpec(b);
    }

    private static Builder builder(SubjectSpec s) {
        Builder b = new Builder();
        b.index = s.index;
        b.patientName = s.patientName;
        b.patientId = s.patientId;
        b.sex = s.sex;
        b.birthDate = s.birthDate;
        b.ageYears = s.ageYears;
        b.weightKg = s.weightKg;
        b.studyDate = s.studyDate;
        b.studyTime = s.studyTime;
        b.accession = s.accession;
        b.studyId = s.studyId;
        b.site = s.site;
        b.scanner = s.scanner;
        b.referringPhysician = s.referringPhysician;
        b.operator = s.operator;
        b.deviceSerial = s.deviceSerial;
        b.rotationDeg = s.rotationDeg;
        b.translationMm = s.translationMm;
        b.tableZ = s.tableZ;
        b.deformationMaxMm = s.deformationMaxMm;
        b.huOffset = s.huOffset;
        b.noiseSigma = s.noiseSigma;
        b.side = s.side;
        b.affected = s.affected;
        b.deltaHu = s.deltaHu;
        b.contrastLoss = s.contrastLoss;
        b.matrix = s.matrix;
        b.fovMm = s.fovMm;
        b.reconOffsetMm = s.reconOffsetMm;
        b.ncctThickness = s.ncctThickness;
        b.tiltDeg = s.tiltDeg;
        b.overlay = s.overlay;
        b.overlayInDerived = s.overlayInDerived;
        b.contrastAgent = s.contrastAgent;
        b.contrastVolumeMl = s.contrastVolumeMl;
        b.ctdiNcct = s.ctdiNcct;
        b.ctdiCta = s.ctdiCta;
        b.motion = s.motion;
        b.beamHardening = s.beamHardening;
        b.spacingStep = s.spacingStep;
        b.headScale = s.headScale;
        b.fovCut = s.fovCut;
        b.look = s.look;
        b.kernelClass = s.kernelClass;
        return b;
    }

    /**
     * The draws of --anatomy mni, from their own seeded stream (the template anatomy's draws stay as they were):
     * pose (yaw, roll and pitch +-15 deg), head size +-10 % around an adult's ({@link #ADULT_HEAD_SCALE}), HU offset
     * +-8, slice thickness 0.625-7.5 mm, noise by kernel, dose and thickness, a 2-6 HU ischaemic drop, the tissue
     * look.
     */
    /**
     * The MNI brains are larger than adults' heads: their intracranial space is 1.89 l, the truth brain masks of the
     * first v2 cohorts (scale 0.9-1.1 around it) were 2.24-2.50 l, skull strip on them 2.06-2.40 l, above the QC's
     * adult range (700-2200 ml) and far from the adult mean of ~1.45 l (the CT template we register to, an average
     * of real adult CTs at their own size, holds 1.47 l). 0.91 linear maps 1.89 l to 1.42 l; with +-10 % the cohort
     * spans 1.04-1.89 l.
     */
    static final double ADULT_HEAD_SCALE = 0.91;

    private static void drawMni(Builder b, CohortSettings settings, boolean normal, MniTissue tissue) {
        SplittableRandom rnd = Seeds.random(settings.seed(), "subject", b.index, "mni");
        b.rotationDeg = new double[] {Seeds.uniform(rnd, -15, 15), Seeds.uniform(rnd, -15, 15),
            Seeds.uniform(rnd, -15, 15)};
        b.headScale = ADULT_HEAD_SCALE * Seeds.uniform(rnd, 0.9, 1.1);
        b.huOffset = Seeds.uniform(rnd, -8, 8);
        // thickness: mostly the 4-5 mm of routine stroke NCCT, some thin and some thick reconstructions
        double[] thickness = {0.625, 1.25, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5};
        double[] weight = {0.04, 0.06, 0.15, 0.1, 0.2, 0.3, 0.05, 0.1};
        b.ncctThickness = thickness[weightedIndex(rnd, weight)];
        // noise: 1.6-2.8 HU at 5 mm and 50 mGy with a soft kernel (the GE scan: 2.7 HU local SD at 4 mm, anatomy
        // included); x1.2 for a standard
        // kernel; with 1/sqrt(dose) and 1/sqrt(thickness)
        boolean standard = rnd.nextDouble() < 0.3;
        b.kernelClass = standard ? "standard" : "soft";
        double sigma = Seeds.uniform(rnd, 1.6, 2.8) * (standard ? 1.2 : 1.0) * Math.sqrt(50 / b.ctdiNcct)
                * Math.sqrt(5 / b.ncctThickness);
        b.noiseSigma = Math.min(14, sigma);
        if (!normal) {
            b.deltaHu = Seeds.uniform(rnd, 2, 6);
            b.contrastLoss = Seeds.uniform(rnd, 0.4, 0.9);
        }
        boolean chronic = rnd.nextDouble() < (normal ? 0.5 : 0.25);
        b.look = MniLook.draw(Seeds.random(settings.seed(), "subject", b.index, "mni-look"), tissue, b.ageYears,
                chronic);
        b.fovCut = FovCut.draw(Seeds.random(settings.seed(), "subject", b.index, "fov"));
    }
}
