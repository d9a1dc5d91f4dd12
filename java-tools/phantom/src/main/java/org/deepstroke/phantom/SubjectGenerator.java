package org.deepstroke.phantom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.deepstroke.core.image.Affine;
import org.deepstroke.phantom.dicom.DicomDataset;
import org.deepstroke.phantom.dicom.DicomFileWriter;
import org.deepstroke.phantom.dicom.FileSetWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one subject: anatomy, the series of its study (streamed to disk slice by slice, except the soft-tissue
 * NCCT, which is kept for the truth, the overlays and the QC picture), and its ground truth.
 */
public final class SubjectGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(SubjectGenerator.class);

    /** Margin (mm) added below and above the head when planning scan ranges (covers the <= 6 mm deformation). */
    static final double RANGE_MARGIN_MM = 8;
    static final double SLAB_MM = 60;
    static final double BONE_NOISE_FACTOR = 2.5;
    static final double CTA_NOISE_FACTOR = 1.3;
    static final double LOCALIZER_SPAN_MM = 307.2;

    /** What the cohort table and the DICOMDIR need from a finished subject. */
    public record Result(int index, String pseudonym, int aspects, String side, int k, List<String> affected,
            boolean overlay, boolean overlayInDerived, double tiltDeg, List<FileSetWriter.Entry> entries,
            Realism.Row realism) {
    }

    /**
     * Everything the truth writer needs: the NCCT as acquired with its labels and masks per slice (centre planes: the
     * overlays, realism, streak levels and QC work on the slices), and {@code truth}, what labels.nii.gz,
     * brain_mask.nii.gz and lesion_mask.nii.gz hold.
     */
    record Ncct(SeriesGeometry geometry, short[] stored, byte[] labels, byte[] brain, byte[] lesion, int bgSlice,
            int sgSlice, int[] streakRange, List<BeamHardening.SliceStreaks> streaks, Truth truth) {
    }

    /**
     * The truth masks and their grid: the NCCT's own slices when they are equally spaced (the same arrays); with a
     * spacing step ({@link SpacingStep}) the regular grid of the lower step across the series' whole extent (NIfTI
     * holds one spacing), labels and masks sampled at its planes.
     */
    record Truth(SeriesGeometry geometry, byte[] labels, byte[] brain, byte[] lesion) {
    }

    private final TemplateSpace t;
    private final CohortSettings settings;
    private final SubjectSpec spec;
    private final DicomFileWriter writer;
    private final Path dicomRoot;
    private final Path truthRoot;
    private final String pseudonym;
    private final Runnable onSeriesDone;

    SubjectGenerator(TemplateSpace t, CohortSettings settings, SubjectSpec spec, DicomFileWriter writer, Path dicomRoot,
            Path truthRoot, String pseudonym, Runnable onSeriesDone) {
        this.t = t;
        this.settings = settings;
        this.spec = spec;
        this.writer = writer;
        this.dicomRoot = dicomRoot;
        this.truthRoot = truthRoot;
        this.pseudonym = pseudonym;
        this.onSeriesDone = onSeriesDone;
    }

    /** Number of progress steps {@link #run()} reports. */
    static final int STEPS = 6;

    Result run() throws IOException {
        long seed = settings.seed();
        int i = spec.index;
        StringBuilder timing = new StringBuilder();
        long started = System.nanoTime();
        long[] clock = {System.nanoTime()};
        Anatomy anatomy = new Anatomy(t, spec, drawDeformation());
        lap(timing, clock, "anatomy");
        double[][] surface = anatomy.surfaceLps();
        double[] centre = anatomy.centreLps();
        double[] reconCentre = {round1(centre[0] + spec.reconOffsetMm[0]), round1(centre[1] + spec.reconOffsetMm[1])};
        double ps = spec.fovMm / spec.matrix;
        StudyWriter study = new StudyWriter(spec, seed, writer, dicomRoot);

        // ---- soft-tissue NCCT: kept in memory (truth grid) ---------------------------------------------------
        double[] head = tableRange(surface, reconCentre[1], spec.tiltDeg);
        double[] range = spec.fovCut.apply(head);
        SeriesGeometry ncctGeometry = stack(reconCentre, ps, range[0], range[1], spec.ncctThickness,
                spec.ncctThickness, spec.tiltDeg);
        if (spec.spacingStep.present()) { // two segments from the same first slice, to the same top of the head
            ncctGeometry = ncctGeometry.withSegments(spec.spacingStep.segments(z0(range[0]), range[1],
                    ncctGeometry.step()));
        }
        Ncct ncct = renderNcct(anatomy, ncctGeometry);
        Realism.Row realism = measureRealism(ncct);
        lap(timing, clock, "ncct-render");
        onSeriesDone.run();

        OverlayPlanner.Plan overlay = null;
        if (spec.overlay) {
            overlay = OverlayPlanner.plan(Seeds.random(seed, "subject", i, "overlay"), ncct.labels(),
                    ncctGeometry.columns(), ncctGeometry.rows(), ncct.bgSlice(), ncct.sgSlice());
        }

        // ---- localizer ----------------------------------------------------------------------------------------
        writeLocalizer(study, anatomy, centre, head); // the scout shows the whole head, the axial plan may not
        lap(timing, clock, "localizer");

        // ---- NCCT files (+ derived copy with the overlays) ----------------------------------------------------
        StudyWriter.Series overlaySeries = writeNcct(study, ncct, overlay);
        lap(timing, clock, "ncct-write");
        onSeriesDone.run();

        // ---- thin bone series (same acquisition, same tilt) ---------------------------------------------------
        double[] thinRange = settings.thin() == CohortSettings.ThinCoverage.FULL ? range
                : slab(ncctGeometry.sliceLocation(Math.max(0, ncct.bgSlice())));
        writeBone(study, anatomy, stack(reconCentre, ps, thinRange[0], thinRange[1], 1.0, 1.0, spec.tiltDeg),
                ncct);
        lap(timing, clock, "bone");
        onSeriesDone.run();

        // ---- CTA (a separate helical acquisition: never tilted) -----------------------------------------------
        double[] ctaRange = settings.thin() == CohortSettings.ThinCoverage.FULL ? tableRange(surface, reconCentre[1], 0)
                : thinRange;
        SeriesGeometry ctaGeometry = stack(reconCentre, ps, ctaRange[0], ctaRange[1], 1.0, 1.0, 0);
        writeCta(study, anatomy, ctaGeometry);
        lap(timing, clock, "cta");
        onSeriesDone.run();

        // ---- dose screen --------------------------------------------------------------------------------------
        writeDoseScreen(study, ncctGeometry, ctaGeometry);
        lap(timing, clock, "dose");
        onSeriesDone.run();

        // ---- truth --------------------------------------------------------------------------------------------
        TruthWriter.write(truthRoot.resolve(pseudonym), pseudonym, settings, spec, anatomy, ncct, study, overlay,
                overlaySeries, realism);
        lap(timing, clock, "truth");
        LOG.debug("subject {}: {}", i, timing);
        LOG.info("subject {} generated in {} ({})", i, String.format(java.util.Locale.ROOT, "%.1f s",
                (System.nanoTime() - started) / 1e9), timing);
        onSeriesDone.run();
        return new Result(i, pseudonym, spec.aspects(), spec.side, spec.k(), spec.affectedCodes(), spec.overlay,
                spec.overlay && spec.overlayInDerived, spec.tiltDeg, List.copyOf(study.entries()), realism);
    }

    /** The subject's deformation: single-scale on the template anatomy, multi-scale on the MNI one. */
    private Deformation drawDeformation() {
        long seed = settings.seed();
        int i = spec.index;
        return t.mni == null
                ? Deformation.draw(Seeds.random(seed, "subject", i, "deformation"), t, spec.deformationMaxMm)
                : Deformation.drawMultiScale(Seeds.random(seed, "subject", i, "deformation"), t,
                        spec.deformationMaxMm, spec.deformationMaxMm == 0 ? 0
                                : Seeds.uniform(Seeds.random(seed, "subject", i, "local-deformation"), 0.8, 2.0));
    }

    /** The realism measures of the NCCT as stored (HU back from the stored values, noise included). */
    private Realism.Row measureRealism(Ncct ncct) {
        SeriesGeometry g = ncct.geometry();
        float[] ncctHu = new float[ncct.stored().length];
        for (int q = 0; q < ncctHu.length; q++) {
            ncctHu[q] = (ncct.stored()[q] & 0xffff) - 1024;
        }
        return Realism.measure(pseudonym, ncctHu, ncct.brain(), ncct.labels(), g.columns(), g.rows(), g.slices());
    }

    /** The thin bone series (same acquisition as the NCCT, same tilt, so the same motion), streamed. */
    private void writeBone(StudyWriter study, Anatomy anatomy, SeriesGeometry boneGeometry, Ncct ncct)
            throws IOException {
        Demographics.Scanner scanner = spec.scanner;
        StudyWriter.Series bone = study.ctSeries("bone", 3, scanner.boneName(),
                new String[] {"ORIGINAL", "PRIMARY", "AXIAL"}, scanner.boneKernel(), boneGeometry, 3, spec.ctdiNcct,
                false, 600, 2800, "BONE");
        SlicePost post = null;
        if (spec.beamHardening.present()) { // the same acquisition: the same artefacts, from the bone slice's own bone
            post = (k, hu, brain) -> spec.beamHardening.apply(hu, brain, boneGeometry.columns(), boneGeometry.rows(),
                    boneGeometry.pixelSpacing(), inRange(ncctSliceOf(boneGeometry, k, ncct.geometry()),
                            ncct.streakRange()));
        }
        streamSeries(study, bone, anatomy, anatomy.huPlain, spec.noiseSigma * BONE_NOISE_FACTOR, "bone",
                k -> bonePose(boneGeometry, k, ncct.geometry(), anatomy.centreLps()), post);
    }

    /** Changes a slice's noise-free HU in place ({@code brain}: its intracranial mask). */
    private interface SlicePost {
        void apply(int k, float[] hu, byte[] brain);
    }

    /** The NCCT slice acquired at bone slice {@code k}'s table position (may lie outside the NCCT). */
    private static int ncctSliceOf(SeriesGeometry bone, int k, SeriesGeometry ncct) {
        return ncct.sliceAtLocation(bone.sliceLocation(k));
    }

    private static boolean inRange(int k, int[] range) {
        return k >= range[0] && k <= range[1];
    }

    /** The head's poses for bone slice {@code k}: those of the NCCT slice acquired at its table position. */
    private Motion.Pose bonePose(SeriesGeometry bone, int k, SeriesGeometry ncct, double[] centreLps) {
        int kn = ncctSliceOf(bone, k, ncct);
        return kn < 0 || kn >= ncct.slices() ? Motion.Pose.STILL
                : spec.motion.pose(kn, ncct.slices(), bone, centreLps);
    }

    /** The CTA (contrast HU, its own noise), streamed. */
    private void writeCta(StudyWriter study, Anatomy anatomy, SeriesGeometry ctaGeometry) throws IOException {
        Demographics.Scanner scanner = spec.scanner;
        StudyWriter.Series cta = study.ctSeries("cta", 4, scanner.ctaName(),
                new String[] {"ORIGINAL", "PRIMARY", "AXIAL"}, scanner.ctaKernel(), ctaGeometry, 7, spec.ctdiCta, true,
                200, 700, "CTA");
        streamSeries(study, cta, anatomy, anatomy.huContrast, spec.noiseSigma * CTA_NOISE_FACTOR, "cta",
                k -> Motion.Pose.STILL, null); // its own acquisition: the patient held still, no streaks
    }

    /**
     * Writes the soft-tissue NCCT series (and, when the overlays live in a derived copy, that copy) slice by slice;
     * returns the series that carries the overlays (the NCCT itself when there is no derived copy).
     */
    private StudyWriter.Series writeNcct(StudyWriter study, Ncct ncct, OverlayPlanner.Plan overlay)
            throws IOException {
        SeriesGeometry ncctGeometry = ncct.geometry();
        Demographics.Scanner scanner = spec.scanner;
        StudyWriter.Series ncctSeries = study.ctSeries("ncct", 2, scanner.ncctName(),
                new String[] {"ORIGINAL", "PRIMARY", "AXIAL"}, scanner.softKernel(), ncctGeometry, 2, spec.ctdiNcct,
                false, 40, 80, "BRAIN");
        StudyWriter.Series derived = spec.overlay && spec.overlayInDerived
                ? study.derivedSeries(ncctSeries, 501, "ASPECTS (legacy annotation)") : null;
        int plane = ncctGeometry.columns() * ncctGeometry.rows();
        for (int k = 0; k < ncctGeometry.slices(); k++) {
            short[] pixels = new short[plane];
            System.arraycopy(ncct.stored(), k * plane, pixels, 0, plane);
            DicomDataset image = study.ctImage(ncctSeries, k, pixels);
            OverlayPlanner.SliceOverlay o = overlayOf(overlay, k);
            if (o != null && derived == null) {
                StudyWriter.addOverlay(image, ncctGeometry.rows(), ncctGeometry.columns(), o.words(),
                        "ASPECTS " + o.level());
            }
            ncctSeries.write(image);
            if (derived != null) {
                DicomDataset copy = StudyWriter.derivedImage(derived, image, k);
                if (o != null) {
                    StudyWriter.addOverlay(copy, ncctGeometry.rows(), ncctGeometry.columns(), o.words(),
                            "ASPECTS " + o.level());
                }
                derived.write(copy);
            }
        }
        return derived != null ? derived : ncctSeries;
    }

    /** The scanner's dose screen: scout, NCCT and CTA with their CTDIvol and DLP. */
    private void writeDoseScreen(StudyWriter study, SeriesGeometry ncctGeometry, SeriesGeometry ctaGeometry)
            throws IOException {
        List<String[]> doseRows = new ArrayList<>();
        doseRows.add(new String[] {"1", "Scout", "-", "0.14", "1.2"});
        double dlpNcct = ncctGeometry.variable() ? spec.ctdiNcct * ncctGeometry.coverageMm() / 10
                : spec.ctdiNcct * ncctGeometry.slices() * ncctGeometry.step() / 10;
        double dlpCta = spec.ctdiCta * ctaGeometry.slices() * ctaGeometry.step() / 10;
        doseRows.add(new String[] {"2", spec.tiltDeg != 0 ? "Axial" : "Helical", rangeText(ncctGeometry),
            String.format("%.2f", spec.ctdiNcct), String.format("%.1f", dlpNcct)});
        doseRows.add(new String[] {"4", "Helical", rangeText(ctaGeometry), String.format("%.2f", spec.ctdiCta),
            String.format("%.1f", dlpCta)});
        study.writeDoseScreen(999, spec.scanner.doseName(), doseRows, 1.2 + dlpNcct + dlpCta);
    }

    private static void lap(StringBuilder timing, long[] clock, String phase) {
        long now = System.nanoTime();
        timing.append(String.format(java.util.Locale.ROOT, "%s %.2f s; ", phase, (now - clock[0]) / 1e9));
        clock[0] = now;
    }

    private static OverlayPlanner.SliceOverlay overlayOf(OverlayPlanner.Plan plan, int k) {
        if (plan == null) {
            return null;
        }
        for (OverlayPlanner.SliceOverlay o : plan.slices()) {
            if (o.slice() == k) {
                return o;
            }
        }
        return null;
    }

    private Ncct renderNcct(Anatomy anatomy, SeriesGeometry g) {
        int plane = g.columns() * g.rows();
        int n = g.slices();
        short[] stored = new short[plane * n];
        byte[] labels = new byte[plane * n];
        byte[] brain = new byte[plane * n];
        byte[] lesion = new byte[plane * n];
        float[] hu = new float[plane];
        byte[] l = new byte[plane];
        byte[] b = new byte[plane];
        byte[] s = new byte[plane];
        // through-plane partial volume (independent anatomy): the slice is the mean of sub-planes 1 mm or less
        // apart across its thickness; labels and masks come from the centre plane
        int sub = t.mni == null ? 1 : Math.max(1, (int) Math.ceil(g.thickness() / 1.0));
        float[] part = new float[plane];
        double[] centre = anatomy.centreLps();
        BeamHardening artefacts = spec.beamHardening;
        int[] streakRange = {0, -1};
        List<BeamHardening.SliceStreaks> streaks = new ArrayList<>();
        if (artefacts.present()) {
            // the slices with intracranial space, from the centre planes the truth masks come from
            int first = -1;
            int last = -1;
            for (int k = 0; k < n; k++) {
                anatomy.slice(g, k, 0, spec.motion.pose(k, n, g, centre).centre(), anatomy.huPlain, hu, l, b, s);
                for (byte v : b) {
                    if (v != 0) {
                        first = first < 0 ? k : first;
                        last = k;
                        break;
                    }
                }
            }
            streakRange = artefacts.streakRange(first, last);
        }
        for (int k = 0; k < n; k++) {
            renderSlice(anatomy, g, k, sub, spec.motion.pose(k, n, g, centre), anatomy.huPlain, hu, part, l, b, s);
            if (artefacts.present()) { // before noise and storage; the truth masks stay as rendered
                List<BeamHardening.Streak> painted = artefacts.apply(hu, b, g.columns(), g.rows(), g.pixelSpacing(),
                        inRange(k, streakRange));
                if (!painted.isEmpty()) {
                    streaks.add(new BeamHardening.SliceStreaks(k, painted));
                }
            }
            short[] px = store(hu, g, spec.noiseSigma, Seeds.random(settings.seed(), "subject", spec.index, "noise",
                    "ncct", k));
            System.arraycopy(px, 0, stored, k * plane, plane);
            System.arraycopy(l, 0, labels, k * plane, plane);
            System.arraycopy(b, 0, brain, k * plane, plane);
            System.arraycopy(s, 0, lesion, k * plane, plane);
        }
        int bg = OverlayPlanner.levelSlice(labels, g.columns(), g.rows(), n, OverlayPlanner.BG_STRUCTURES, 0);
        int sg = OverlayPlanner.levelSlice(labels, g.columns(), g.rows(), n, OverlayPlanner.SG_STRUCTURES, bg + 1);
        if (sg < 0) {
            sg = OverlayPlanner.levelSlice(labels, g.columns(), g.rows(), n, OverlayPlanner.SG_STRUCTURES, 0);
        }
        Truth truth = g.variable() ? regularTruth(anatomy, g) : new Truth(g, labels, brain, lesion);
        return new Ncct(g, stored, labels, brain, lesion, bg, sg, streakRange, List.copyOf(streaks), truth);
    }

    /**
     * The truth of an NCCT with a spacing step, on the regular grid of its lower step from its first slice to (at
     * least) its last: labels and masks at each plane, the head where the NCCT slice acquired nearest that table
     * position saw it (its motion pose), so the truth does not depend on how a converter resamples the slices.
     */
    private Truth regularTruth(Anatomy anatomy, SeriesGeometry g) {
        int n = g.slices();
        SeriesGeometry grid = g.regular((int) Math.ceil(g.segments().offset(n - 1) / g.step() - 1e-9) + 1);
        int plane = grid.columns() * grid.rows();
        byte[] labels = new byte[plane * grid.slices()];
        byte[] brain = new byte[labels.length];
        byte[] lesion = new byte[labels.length];
        float[] hu = new float[plane];
        byte[] l = new byte[plane];
        byte[] b = new byte[plane];
        byte[] s = new byte[plane];
        for (int j = 0; j < grid.slices(); j++) {
            int k = Math.max(0, Math.min(n - 1, g.sliceAtLocation(grid.sliceLocation(j))));
            anatomy.slice(grid, j, 0, spec.motion.pose(k, n, g, anatomy.centreLps()).centre(), anatomy.huPlain, hu, l,
                    b, s);
            System.arraycopy(l, 0, labels, j * plane, plane);
            System.arraycopy(b, 0, brain, j * plane, plane);
            System.arraycopy(s, 0, lesion, j * plane, plane);
        }
        return new Truth(grid, labels, brain, lesion);
    }

    /**
     * Slice {@code k} of {@code g}: HU from {@code source} into {@code hu}, the mean over the pose's positions and
     * {@code sub} sub-planes across the slice thickness; labels and masks (when {@code labels} is not null) from the
     * centre plane at the pose's centre. {@code part} is scratch of one plane.
     */
    private static void renderSlice(Anatomy anatomy, SeriesGeometry g, int k, int sub, Motion.Pose pose,
            float[] source, float[] hu, float[] part, byte[] labels, byte[] brain, byte[] lesion) {
        int samples = sub * pose.path().length;
        if (labels != null || samples == 1) {
            anatomy.slice(g, k, 0, pose.centre(), source, hu, labels, brain, lesion);
        }
        if (samples == 1) {
            return;
        }
        Arrays.fill(hu, 0f);
        for (Affine at : pose.path()) {
            for (int j = 0; j < sub; j++) {
                double dk = ((j + 0.5) / sub - 0.5) * g.thickness() / g.step(k);
                anatomy.slice(g, k, dk, at, source, part, null, null, null);
                for (int q = 0; q < hu.length; q++) {
                    hu[q] += part[q] / samples;
                }
            }
        }
    }

    private void streamSeries(StudyWriter study, StudyWriter.Series s, Anatomy anatomy, float[] source, double sigma,
            String name, IntFunction<Motion.Pose> poses, SlicePost post) throws IOException {
        SeriesGeometry g = s.geometry;
        float[] hu = new float[g.columns() * g.rows()];
        float[] part = new float[hu.length];
        byte[] labels = post == null ? null : new byte[hu.length];
        byte[] brain = post == null ? null : new byte[hu.length];
        byte[] lesion = post == null ? null : new byte[hu.length];
        for (int k = 0; k < g.slices(); k++) {
            renderSlice(anatomy, g, k, 1, poses.apply(k), source, hu, part, labels, brain, lesion);
            if (post != null) {
                post.apply(k, hu, brain);
            }
            short[] px = store(hu, g, sigma, Seeds.random(settings.seed(), "subject", spec.index, "noise", name, k));
            s.write(study.ctImage(s, k, px));
        }
    }

    /** HU + Gaussian noise -> stored values (HU + 1024, 12 bits); outside the reconstruction circle: 0. */
    static short[] store(float[] hu, SeriesGeometry g, double sigma, SplittableRandom rnd) {
        int cols = g.columns();
        int rows = g.rows();
        short[] out = new short[cols * rows];
        double cx = (cols - 1) / 2.0;
        double cy = (rows - 1) / 2.0;
        double r2 = (cols / 2.0) * (cols / 2.0);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double noise = sigma * rnd.nextGaussian();
                double dx = c - cx;
                double dy = r - cy;
                if (dx * dx + dy * dy > r2) {
                    out[i] = 0;
                    continue;
                }
                long v = Math.round(hu[i] + noise + 1024);
                out[i] = (short) Math.max(0, Math.min(4095, v));
            }
        }
        return out;
    }

    /** Table positions (LPS z at the in-plane centre line) that cover every head surface point, plus margins. */
    static double[] tableRange(double[][] surfaceLps, double centreY, double tiltDeg) {
        double tan = Math.tan(Math.toRadians(tiltDeg));
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double[] p : surfaceLps) {
            // the slice plane through (x, centreY, s) with column direction (0, cos t, sin t) contains p when
            // s = p.z - (p.y - centreY) tan t
            double s = p[2] - (p[1] - centreY) * tan;
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        return new double[] {lo - RANGE_MARGIN_MM, hi + RANGE_MARGIN_MM};
    }

    private static double[] slab(double centreZ) {
        return new double[] {centreZ - SLAB_MM / 2, centreZ + SLAB_MM / 2};
    }

    /** An axial stack covering table range [lo, hi] with the given step. */
    private SeriesGeometry stack(double[] centreXy, double ps, double lo, double hi, double step, double thickness,
            double tiltDeg) {
        double z0 = z0(lo);
        int n = (int) Math.ceil((hi - z0) / step) + 1;
        return SeriesGeometry.axial(spec.matrix, ps, centreXy, z0, n, step, thickness, tiltDeg);
    }

    /** The table position of the first slice of a stack that starts at {@code lo}. */
    private static double z0(double lo) {
        return Math.floor(lo * 10) / 10;
    }

    private static String rangeText(SeriesGeometry g) {
        double a = g.sliceLocation(0);
        double b = g.sliceLocation(g.slices() - 1);
        return String.format("%s%.1f-%s%.1f", a < 0 ? "I" : "S", Math.abs(a), b < 0 ? "I" : "S", Math.abs(b));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The lateral localizer: a projection of the attenuation along x through the posed head. */
    private void writeLocalizer(StudyWriter study, Anatomy anatomy, double[] centre, double[] range) throws IOException {
        int m = spec.matrix;
        double ps = LOCALIZER_SPAN_MM / m;
        double half = (m - 1) / 2.0 * ps;
        double zc = round1((range[0] + range[1]) / 2);
        double[] first = org.deepstroke.phantom.dicom.Ds.round(round1(centre[0]), round1(centre[1] - half),
                Math.round((zc + half) * 1e4) / 1e4);
        SeriesGeometry g = new SeriesGeometry(m, m, 1, ps, 0, 0.6, 0, new double[] {0, 1, 0}, new double[] {0, 0, -1},
                first);
        StudyWriter.Series s = study.ctSeries("localizer", 1, spec.scanner.localizerName(),
                new String[] {"ORIGINAL", "PRIMARY", "LOCALIZER"}, spec.scanner.softKernel(), g, 1, 0, false, 500, 2500,
                "SCOUT");
        SplittableRandom rnd = Seeds.random(settings.seed(), "subject", spec.index, "noise", "localizer");
        // water-equivalent path length along x, on a half-resolution grid (a scout is smooth), then bilinear
        int hm = m / 2;
        double[][] path = new double[hm][hm];
        double stepMm = 3;
        int samples = (int) (260 / stepMm);
        double[] scratch = new double[3];
        for (int r = 0; r < hm; r++) {
            for (int c = 0; c < hm; c++) {
                double[] p = g.lps(2 * c + 0.5, 2 * r + 0.5, 0);
                double sum = 0;
                for (int j = 0; j < samples; j++) {
                    double x = p[0] - 130 + (j + 0.5) * stepMm;
                    float hu = anatomy.huAt(x, p[1], p[2], anatomy.huPlain, scratch);
                    sum += Math.max(0, (hu + 1000) / 1000.0) * stepMm;
                }
                path[r][c] = sum;
            }
        }
        short[] px = new short[m * m];
        for (int r = 0; r < m; r++) {
            double fr = Math.max(0, Math.min(hm - 1, (r - 0.5) / 2));
            int r0 = Math.min(hm - 2, (int) fr);
            double wr = fr - r0;
            for (int c = 0; c < m; c++) {
                double fc = Math.max(0, Math.min(hm - 1, (c - 0.5) / 2));
                int c0 = Math.min(hm - 2, (int) fc);
                double wc = fc - c0;
                double v = (1 - wr) * ((1 - wc) * path[r0][c0] + wc * path[r0][c0 + 1])
                        + wr * ((1 - wc) * path[r0 + 1][c0] + wc * path[r0 + 1][c0 + 1]);
                long stored = Math.round(v * 10 + 8 * rnd.nextGaussian());
                px[r * m + c] = (short) Math.max(0, Math.min(4095, stored));
            }
        }
        s.write(study.ctImage(s, 0, px));
    }
}
