package org.deepstroke.phantom;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.qc.SliceRenderer;

/**
 * The ground truth of one subject, in {@code truth/<pseudonym>/}: labels.nii.gz, brain_mask.nii.gz and
 * lesion_mask.nii.gz on the soft-tissue NCCT's own voxel grid (the acquisition grid, a sheared sform when the gantry
 * was tilted), truth.json, overlay_points.tsv (when the subject has overlays) and qc.png. Nothing here names the
 * patient: the folder is the keyed pseudonym of the Patient ID.
 */
final class TruthWriter {

    static final ObjectMapper JSON = Json.MAPPER;

    /** One colour per ASPECTS structure (both sides alike), in label order C, L, IC, I, M1..M6. */
    static final Color[] STRUCTURE_COLOURS = {
        new Color(230, 25, 75), new Color(60, 180, 75), new Color(255, 225, 25), new Color(0, 130, 200),
        new Color(245, 130, 48), new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230),
        new Color(210, 245, 60), new Color(250, 190, 190)};

    private TruthWriter() {
    }

    static void write(Path dir, String pseudonym, CohortSettings settings, SubjectSpec spec, Anatomy anatomy,
            SubjectGenerator.Ncct ncct, StudyWriter study, OverlayPlanner.Plan overlay, StudyWriter.Series overlaySeries,
            Realism.Row realism) throws IOException {
        Files.createDirectories(dir);
        SeriesGeometry g = ncct.geometry();
        SubjectGenerator.Truth masks = ncct.truth();
        SeriesGeometry tg = masks.geometry();
        Affine affine = tg.voxelToRas();
        int cols = tg.columns();
        int rows = tg.rows();
        int slices = tg.slices();
        writeMask(masks.labels(), cols, rows, slices, affine, dir.resolve("labels.nii.gz"));
        writeMask(masks.brain(), cols, rows, slices, affine, dir.resolve("brain_mask.nii.gz"));
        writeMask(masks.lesion(), cols, rows, slices, affine, dir.resolve("lesion_mask.nii.gz"));

        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("pseudonym", pseudonym);
        truth.put("subject_index", spec.index);
        truth.put("cohort_seed", settings.seed());
        truth.put("aspects", spec.aspects());
        truth.put("side", spec.side);
        truth.put("k", spec.k());
        truth.put("affected_regions", spec.affectedCodes());
        truth.put("affected_label_ids", spec.affectedIds());
        truth.put("ischaemia", ischaemia(spec, ncct));
        truth.put("hu_offset", r(spec.huOffset, 3));
        truth.put("noise_sigma_hu", r(spec.noiseSigma, 3));
        truth.put("tilt_deg", spec.tiltDeg);
        Map<String, Object> fovCut = new LinkedHashMap<>();
        fovCut.put("vertex", spec.fovCut.vertexMm());
        fovCut.put("skull_base", spec.fovCut.baseMm());
        truth.put("fov_cut_mm", fovCut);
        if (settings.motionShare() > 0) { // absent without --motion-share: the cohorts made before it stay as they were
            truth.put("motion", spec.motion.moves() ? motion(spec.motion, anatomy, g) : null);
        }
        if (settings.streakShare() > 0) { // absent without --streak-share: the cohorts made before it stay as they were
            truth.put("beam_hardening", spec.beamHardening.present() ? beamHardening(spec.beamHardening, ncct) : null);
        }
        if (settings.spacingStepShare() > 0) { // absent without --spacing-step-share: earlier cohorts stay as they were
            truth.put("slice_spacing", g.variable() ? sliceSpacing(spec.spacingStep, g, tg, study) : null);
        }
        truth.put("has_overlay", spec.overlay);
        truth.put("overlay_in_derived", spec.overlay && spec.overlayInDerived);
        truth.put("transform", transform(anatomy, spec));
        truth.put("anatomy", settings.anatomy().name().toLowerCase(java.util.Locale.ROOT));
        if (spec.look != null) {
            truth.put("appearance", appearance(spec, anatomy));
        }
        truth.put("realism", realism(realism));
        truth.put("truth_grid", truthGrid(study, tg, g.variable()));
        Map<String, Object> levels = new LinkedHashMap<>();
        levels.put("bg_slice", ncct.bgSlice());
        levels.put("sg_slice", ncct.sgSlice());
        levels.put("bg_instance_number", ncct.bgSlice() + 1);
        levels.put("sg_instance_number", ncct.sgSlice() + 1);
        truth.put("aspects_levels", levels);
        truth.put("series", series(study, overlay, overlaySeries));
        if (overlay != null) {
            truth.put("overlay", overlay(overlay, overlaySeries));
            writePoints(dir.resolve("overlay_points.tsv"), overlay, overlaySeries, g);
        } else {
            truth.put("overlay", null);
        }
        truth.put("qc", "qc.png");
        AtomicFiles.writeString(dir.resolve("truth.json"), JSON.writeValueAsString(truth) + "\n");
        writeQc(dir.resolve("qc.png"), pseudonym, spec, ncct);
    }

    /** The ischaemia model and the lesion's size on the NCCT grid. */
    private static Map<String, Object> ischaemia(SubjectSpec spec, SubjectGenerator.Ncct ncct) {
        SeriesGeometry g = ncct.truth().geometry();
        long lesionVoxels = 0;
        for (byte b : ncct.truth().lesion()) {
            lesionVoxels += b;
        }
        double voxelMl = g.pixelSpacing() * g.pixelSpacing() * g.step() * Math.cos(Math.toRadians(g.tiltDeg())) / 1000;
        Map<String, Object> ischaemia = new LinkedHashMap<>();
        ischaemia.put("hu_drop", r(spec.deltaHu, 3));
        ischaemia.put("grey_white_contrast_loss", r(spec.contrastLoss, 3));
        ischaemia.put("model", "in the affected regions (inside the brain mask): HU' = HU - hu_drop - "
                + "grey_white_contrast_loss * (HU - local 10 mm brain mean), applied in template space");
        ischaemia.put("lesion_voxels", lesionVoxels);
        ischaemia.put("lesion_volume_ml", r(lesionVoxels * voxelMl, 2));
        return ischaemia;
    }

    /** The head motion during the NCCT ({@link Motion}): the moved slices with the pose their truth was sampled at. */
    private static Map<String, Object> motion(Motion motion, Anatomy anatomy, SeriesGeometry g) {
        int n = g.slices();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first_slice", motion.firstSlice(n));
        m.put("last_slice", motion.lastSlice(n));
        m.put("settles", motion.settles());
        m.put("duration_slices", motion.slices());
        m.put("peak_rotation_deg", motion.rotationDeg());
        m.put("peak_translation_mm", new double[] {motion.shiftColumnsMm(), motion.shiftRowsMm()});
        m.put("rotation_centre_lps_mm", r(anatomy.centreLps(), 4));
        m.put("positions_per_slice", motion.positions());
        m.put("model", "in-plane rigid: the head seen in slice k is moved by x -> c + R(rotation)(x - c) + "
                + "translation, R about the slice normal (row x column direction; positive from the +column towards "
                + "the +row direction), c = rotation_centre_lps_mm, translation along (+column, +row) in mm; each "
                + "moved slice is the mean of its positions along the path (motion blur), its labels and masks are "
                + "sampled at the mean displacement (listed per slice); the DICOM geometry is nominal");
        m.put("series", List.of("ncct", "bone"));
        List<Map<String, Object>> slices = new ArrayList<>();
        for (int k = motion.firstSlice(n); k <= motion.lastSlice(n); k++) {
            double[] samples = motion.samples(k, n);
            double c = Motion.centre(samples);
            Map<String, Object> sl = new LinkedHashMap<>();
            sl.put("slice", k);
            sl.put("instance_number", k + 1);
            sl.put("positions", samples.length);
            sl.put("displacement_fraction", r(c, 4));
            sl.put("rotation_deg", r(c * motion.rotationDeg(), 4));
            sl.put("translation_mm", r(new double[] {c * motion.shiftColumnsMm(), c * motion.shiftRowsMm()}, 4));
            slices.add(sl);
        }
        m.put("slices", slices);
        return m;
    }

    /** The beam-hardening artefacts of the NCCT ({@link BeamHardening}): parameters and the streaks painted. */
    private static Map<String, Object> beamHardening(BeamHardening bh, SubjectGenerator.Ncct ncct) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("streak_level_fraction", bh.levelFraction());
        m.put("first_streak_slice", ncct.streakRange()[0]);
        m.put("last_streak_slice", ncct.streakRange()[1]);
        m.put("pairs_per_slice", bh.pairs());
        m.put("streak_depth_hu_at_50mm_bone", bh.depthHu());
        m.put("streak_width_sigma_mm", bh.widthMm());
        m.put("radial_rays_per_point", bh.rays());
        m.put("radial_first_angle_deg", bh.rayAngleDeg());
        m.put("radial_hu_at_50mm_bone", bh.radialHu());
        m.put("cupping_hu", bh.cuppingHu());
        m.put("model", "image-domain approximation (no projections), on the noise-free HU before noise and storage: "
                + "cupping = cupping_hu * (1 - (r/R)^2) subtracted inside the intracranial mask of every slice (r from "
                + "the mask's centroid, R its farthest pixel); in the streak slices (the lowest streak_level_fraction "
                + "of the slices with intracranial space) dark streaks of amplitude_hu along the lines joining the "
                + "listed bone points (pixel column, row), Gaussian across (streak_width_sigma_mm), full between the "
                + "points, Gaussian decay beyond (15 mm); amplitude_hu = min(40, depth * bone_path_mm / 50); radial "
                + "streaks from each point, alternately bright and dark; truth labels and masks are unchanged");
        m.put("series", List.of("ncct", "bone"));
        List<Map<String, Object>> slices = new ArrayList<>();
        for (BeamHardening.SliceStreaks ss : ncct.streaks()) {
            Map<String, Object> sl = new LinkedHashMap<>();
            sl.put("slice", ss.slice());
            sl.put("instance_number", ss.slice() + 1);
            List<Map<String, Object>> lines = new ArrayList<>();
            for (BeamHardening.Streak st : ss.streaks()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("from_px", st.from());
                line.put("to_px", st.to());
                line.put("bone_path_mm", st.bonePathMm());
                line.put("amplitude_hu", st.amplitudeHu());
                lines.add(line);
            }
            sl.put("streaks", lines);
            slices.add(sl);
        }
        m.put("slices", slices);
        return m;
    }

    /**
     * The two acquisition segments of an NCCT with a spacing step ({@link SpacingStep}) and the regular grid the
     * truth masks are on.
     */
    private static Map<String, Object> sliceSpacing(SpacingStep step, SeriesGeometry g, SeriesGeometry truthGrid,
            StudyWriter study) {
        SpacingStep.Segments sg = g.segments();
        int split = sg.split();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split_fraction_drawn", step.splitFraction());
        m.put("step_ratio_drawn", step.ratio());
        m.put("split_slice", split);
        m.put("split_instance_number", split + 1);
        m.put("split_slice_location_mm", g.sliceLocation(split));
        m.put("split_fraction_of_extent", r((g.sliceLocation(split) - g.sliceLocation(0))
                / (g.sliceLocation(g.slices() - 1) - g.sliceLocation(0)), 4));
        m.put("lower_step_mm", sg.s1());
        m.put("upper_step_mm", sg.s2());
        List<Map<String, Object>> segments = new ArrayList<>();
        int[][] ranges = {{0, split}, {split + 1, g.slices() - 1}};
        for (int[] range : ranges) {
            Map<String, Object> seg = new LinkedHashMap<>();
            seg.put("first_slice", range[0]);
            seg.put("last_slice", range[1]);
            seg.put("first_instance_number", range[0] + 1);
            seg.put("last_instance_number", range[1] + 1);
            seg.put("first_slice_location_mm", g.sliceLocation(range[0]));
            seg.put("last_slice_location_mm", g.sliceLocation(range[1]));
            seg.put("step_mm", g.step(range[0]));
            seg.put("slice_thickness_mm", g.thickness());
            segments.add(seg);
        }
        m.put("segments", segments);
        m.put("gaps_along_table_mm", new double[] {sg.s1(), sg.s2()});
        m.put("gaps_along_slice_normal_mm", r(new double[] {sg.s1() * Math.cos(Math.toRadians(g.tiltDeg())),
            sg.s2() * Math.cos(Math.toRadians(g.tiltDeg()))}, 6));
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("step_mm", truthGrid.step());
        grid.put("slices", truthGrid.slices());
        grid.put("first_slice_location_mm", truthGrid.sliceLocation(0));
        grid.put("last_slice_location_mm", truthGrid.sliceLocation(truthGrid.slices() - 1));
        m.put("truth_grid", grid);
        m.put("series", study.series().containsKey("ncct_derived") ? List.of("ncct", "ncct_derived") : List.of("ncct"));
        m.put("model", "the NCCT is acquired in two segments: slices 0..split_slice at lower_step_mm (the slice "
                + "positions advance along the table, +z), the rest at upper_step_mm above the split slice; every "
                + "slice keeps the series' one thickness (gaps between the upper slices) and averages the anatomy "
                + "across it; DICOM Image Position, Slice Location and Spacing Between Slices (its segment's step) "
                + "are per slice and true; the truth masks are on the regular grid of lower_step_mm from slice 0 "
                + "across the whole extent (truth_grid), labels sampled at its planes (bring them onto a converted "
                + "CT by world coordinates); slice numbers elsewhere in truth.json (aspects_levels, overlay, motion, "
                + "beam_hardening) are the NCCT's; the thin bone series stays regular (1 mm), CTA and scout unchanged");
        return m;
    }

    /** The independent anatomy's CT look (the MNI generator only). */
    private static Map<String, Object> appearance(SubjectSpec spec, Anatomy anatomy) {
        Map<String, Object> look = spec.look.describe(anatomy.t.mni);
        look.put("head_scale", r(spec.headScale, 4));
        look.put("kernel_class", spec.kernelClass);
        look.put("slice_thickness_mm", spec.ncctThickness);
        look.put("truth_caudate", "neuromorphometrics caudate cut to the public caudate masks' axial levels: "
                + anatomy.t.mni.caudateNote);
        return look;
    }

    private static Map<String, Object> realism(Realism.Row realism) {
        Map<String, Object> real = new LinkedHashMap<>();
        real.put("csf_share_below_15hu", r(realism.csfShare(), 4));
        real.put("parenchyma_hu_p5_p50_p95", new double[] {realism.p5(), realism.p50(), realism.p95()});
        real.put("local_noise_sd_hu", Double.isNaN(realism.noiseSd()) ? null : r(realism.noiseSd(), 3));
        real.put("lentiform_minus_internal_capsule_hu", Double.isNaN(realism.lentiformMinusCapsule()) ? null
                : r(realism.lentiformMinusCapsule(), 3));
        real.put("definitions", "org.deepstroke.phantom.Realism (java-tools/phantom/README.md)");
        return real;
    }

    /** The grid the truth masks are written on: the soft-tissue NCCT's acquisition grid (with a spacing step: the
     * regular grid of its lower step). */
    private static Map<String, Object> truthGrid(StudyWriter study, SeriesGeometry g, boolean variableNcct) {
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("series_role", "ncct");
        grid.put("series_instance_uid", study.series().get("ncct").uid);
        grid.put("dims", new int[] {g.columns(), g.rows(), g.slices()});
        grid.put("voxel_to_ras", matrix(g.voxelToRas()));
        grid.put("sheared", g.tilted());
        grid.put("note", (variableNcct ? "the NCCT's slice spacing changes within the series (slice_spacing): "
                + "voxel (i, j, k) = (DICOM column, row) of the NCCT, k the plane at slice_spacing.lower_step_mm x k "
                + "above its first slice along the table (not its InstanceNumber - 1); "
                : "voxel (i, j, k) = (DICOM column, row, InstanceNumber - 1) of the soft-tissue NCCT series; ")
                + (g.tilted() ? "the gantry was tilted, so this is the sheared acquisition grid (sform only, qform 0)"
                        : "untilted: orthogonal grid"));
        grid.put("files", List.of("labels.nii.gz", "brain_mask.nii.gz", "lesion_mask.nii.gz"));
        return grid;
    }

    /** Every series of the study as written, with its geometry. */
    private static List<Map<String, Object>> series(StudyWriter study, OverlayPlanner.Plan overlay,
            StudyWriter.Series overlaySeries) {
        List<Map<String, Object>> series = new ArrayList<>();
        for (StudyWriter.Series s : study.series().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", s.role);
            m.put("series_number", s.number);
            m.put("series_instance_uid", s.uid);
            m.put("description", s.description);
            m.put("image_type", String.join("\\", s.imageType));
            m.put("kernel", s.kernel);
            m.put("instances", s.written);
            SeriesGeometry sg = s.geometry;
            if (sg != null) {
                // a series with a spacing step has no one thickness, step or affine (truth.json slice_spacing)
                m.put("rows", sg.rows());
                m.put("columns", sg.columns());
                m.put("slices", sg.slices());
                m.put("pixel_spacing_mm", sg.pixelSpacing());
                m.put("slice_thickness_mm", sg.variable() ? null : sg.thickness());
                m.put("slice_step_mm", sg.variable() ? null : sg.step());
                m.put("tilt_deg", sg.tiltDeg());
                m.put("image_orientation_patient", sg.orientation());
                m.put("first_image_position_patient", sg.first());
                m.put("voxel_to_ras", sg.variable() ? null : matrix(sg.voxelToRas()));
            }
            m.put("has_overlays", overlay != null && s == overlaySeries);
            series.add(m);
        }
        return series;
    }

    /** The legacy contour overlay: which series carries it, per slice how many points. */
    private static Map<String, Object> overlay(OverlayPlanner.Plan overlay, StudyWriter.Series overlaySeries) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("series_role", overlaySeries.role);
        o.put("series_instance_uid", overlaySeries.uid);
        o.put("overlay_group", "6000");
        List<Map<String, Object>> overlaySlices = new ArrayList<>();
        for (OverlayPlanner.SliceOverlay x : overlay.slices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slice", x.slice());
            m.put("instance_number", x.slice() + 1);
            m.put("level", x.level());
            m.put("points", x.points().size());
            overlaySlices.add(m);
        }
        o.put("slices", overlaySlices);
        o.put("points", overlay.pointCount());
        o.put("keep_fraction", r(overlay.keepFraction(), 3));
        o.put("jitter_px", overlay.jitterPx());
        o.put("missing_region_ids", overlay.missingRegionIds());
        o.put("points_file", "overlay_points.tsv");
        return o;
    }

    private static Map<String, Object> transform(Anatomy anatomy, SubjectSpec spec) {
        Map<String, Object> tr = new LinkedHashMap<>();
        tr.put("direction", "native world (RAS mm; the DICOM patient space with x and y negated) -> template world "
                + "(RAS mm of --template-with-skull)");
        tr.put("formula", "T(x) = A x + d(A x): the image value at native x is the template's at T(x)");
        tr.put("A", matrix(anatomy.nativeToTemplate));
        tr.put("A_inverse", matrix(anatomy.templateToNative));
        tr.put("rotation_deg", r(spec.rotationDeg, 4));
        tr.put("rotation_convention", "A^-1(y) = c_n + R (y - c_t), R = Rz(rz) Ry(ry) Rx(rx), angles (rx, ry, rz) "
                + "about the RAS axes");
        tr.put("template_centre_mm", r(anatomy.t.headCenter, 4));
        tr.put("native_centre_mm", r(anatomy.nativeCentre, 4));
        tr.put("translation_mm", r(spec.translationMm, 4));
        Deformation d = anatomy.deformation;
        Map<String, Object> disp = new LinkedHashMap<>();
        disp.put("type", "gaussian_bumps");
        disp.put("definition", "d(y) = sum_i amplitude_i * exp(-|y - centre_i|^2 / (2 sigma_i^2)), y and d in "
                + "template world mm (RAS)");
        List<Map<String, Object>> bumps = new ArrayList<>();
        for (Deformation.Bump b : d.bumps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("centre_mm", r(b.centerMm(), 4));
            m.put("sigma_mm", r(b.sigmaMm(), 4));
            m.put("amplitude_mm", r(b.amplitudeMm(), 5));
            bumps.add(m);
        }
        disp.put("bumps", bumps);
        disp.put("max_mm", r(d.maxMm, 3));
        disp.put("min_jacobian", r(d.minJacobian, 4));
        disp.put("note", "evaluated in the generator on the template grid and interpolated trilinearly");
        tr.put("displacement", disp);
        return tr;
    }

    private static void writeMask(byte[] values, int cols, int rows, int slices, Affine affine, Path file)
            throws IOException {
        float[] data = new float[values.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = values[i];
        }
        NiftiWriter.write(new ImageVolume(cols, rows, slices, data, affine, 1), file, NiftiDatatype.UINT8);
    }

    private static void writePoints(Path file, OverlayPlanner.Plan plan, StudyWriter.Series s, SeriesGeometry g)
            throws IOException {
        StringBuilder sb = new StringBuilder("series_instance_uid\tsop_instance_uid\tinstance_number\tslice\tlevel"
                + "\tregion_id\tregion\tcolumn\trow\tx_ras_mm\ty_ras_mm\tz_ras_mm\n");
        Affine a = g.voxelToRas();
        double[] w = new double[3];
        for (OverlayPlanner.SliceOverlay o : plan.slices()) {
            for (OverlayPlanner.Point p : o.points()) {
                if (g.variable()) { // no one affine: the point's own slice (LPS to RAS)
                    double[] lps = g.lps(p.column(), p.row(), p.slice());
                    w = new double[] {-lps[0], -lps[1], lps[2]};
                } else {
                    a.apply(p.column(), p.row(), p.slice(), w);
                }
                int id = p.regionId();
                String region = AspectsRegion.ofId(id).key();
                sb.append(s.uid).append('\t').append(s.sopUid(p.slice() + 1)).append('\t').append(p.slice() + 1)
                        .append('\t').append(p.slice()).append('\t').append(p.level()).append('\t').append(id)
                        .append('\t').append(region).append('\t').append(p.column()).append('\t').append(p.row())
                        .append('\t').append(String.format(java.util.Locale.ROOT, "%.3f\t%.3f\t%.3f", w[0], w[1], w[2]))
                        .append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Two axial panels (basal-ganglia and supraganglionic level) with the truth labels, and a caption. */
    static void writeQc(Path file, String pseudonym, SubjectSpec spec, SubjectGenerator.Ncct ncct) throws IOException {
        SeriesGeometry g = ncct.geometry();
        Map<Integer, Color> colours = new HashMap<>();
        for (int id = 1; id <= 20; id++) {
            colours.put(id, STRUCTURE_COLOURS[(id - 1) % 10]);
        }
        int plane = g.columns() * g.rows();
        int lesionSlice = Math.max(0, ncct.bgSlice());
        long most = 0;
        for (int k = 0; k < g.slices(); k++) {
            long n = 0;
            for (int i = 0; i < plane; i++) {
                n += ncct.lesion()[k * plane + i];
            }
            if (n > most) {
                most = n;
                lesionSlice = k;
            }
        }
        // panels: BG level with labels, SG level with labels, the slice with the most lesion (narrow window)
        int[] panels = {Math.max(0, ncct.bgSlice()), Math.max(0, ncct.sgSlice()), lesionSlice};
        List<BufferedImage> images = new ArrayList<>();
        double ppm = Math.min(2.0, 300.0 / (g.columns() * g.pixelSpacing()));
        for (int p = 0; p < panels.length; p++) {
            int k = panels[p];
            boolean lesionPanel = p == 2;
            float[] hu = new float[plane];
            float[] lab = new float[plane];
            for (int i = 0; i < plane; i++) {
                hu[i] = (ncct.stored()[k * plane + i] & 0xffff) - 1024;
                lab[i] = lesionPanel ? ncct.lesion()[k * plane + i] : ncct.labels()[k * plane + i];
            }
            Affine slice = g.sliceToRas(k);
            ImageVolume grey = new ImageVolume(g.columns(), g.rows(), 1, hu, slice, 1);
            ImageVolume labels = new ImageVolume(g.columns(), g.rows(), 1, lab, slice, 1);
            images.add(SliceRenderer.of(grey, lesionPanel ? 15 : 0, lesionPanel ? 55 : 80)
                    .labels(labels, lesionPanel ? Map.of(1, Color.RED) : colours, lesionPanel ? 0.0 : 0.35)
                    .pixelsPerMm(ppm).axial(0));
        }
        int w = 0;
        int panelHeight = 0;
        for (BufferedImage im : images) {
            w += im.getWidth() + 8;
            panelHeight = Math.max(panelHeight, im.getHeight());
        }
        int h = panelHeight + 52;
        BufferedImage out = new BufferedImage(w - 8, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = out.createGraphics();
        try {
            gr.setColor(Color.BLACK);
            gr.fillRect(0, 0, w, h);
            int x = 0;
            for (BufferedImage im : images) {
                gr.drawImage(im, x, 0, null);
                x += im.getWidth() + 8;
            }
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            gr.setColor(Color.WHITE);
            gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int y0 = h - 36;
            gr.drawString(String.format("%s   true ASPECTS %d%s", pseudonym, spec.aspects(), spec.side == null
                    ? " (normal)" : "   " + spec.side + ": " + String.join(", ", spec.affectedCodes())), 6, y0);
            gr.drawString(String.format("NCCT slices %d (BG level) and %d (SG level), window 0-80 HU, truth labels; "
                    + "slice %d, window 15-55 HU, lesion outline; tilt %.1f deg", ncct.bgSlice() + 1,
                    ncct.sgSlice() + 1, lesionSlice + 1, spec.tiltDeg), 6, y0 + 15);
            gr.drawString(SliceRenderer.Convention.RADIOLOGICAL.description()
                    + "; colours: C L IC I M1..M6, both sides alike", 6, y0 + 30);
        } finally {
            gr.dispose();
        }
        AtomicFiles.write(file, os -> ImageIO.write(out, "png", os));
    }

    static double r(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }

    static double[] r(double[] v, int decimals) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = r(v[i], decimals);
        }
        return o;
    }

    static double[][] matrix(Affine a) {
        double[][] rows = a.rows();
        double[][] m = new double[4][];
        for (int i = 0; i < 3; i++) {
            m[i] = r(rows[i], 8);
        }
        m[3] = new double[] {0, 0, 0, 1};
        return m;
    }
}
