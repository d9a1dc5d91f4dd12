package org.deepstroke.ingest.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.deepstroke.ingest.convert.SeriesGeometry;
import org.deepstroke.ingest.dicom.InstanceHeader;
import org.deepstroke.ingest.rules.IngestRules;

/**
 * The NCCT rules applied to each scanned series: every reason that applies is collected (not only the first), so
 * the manifest says everything wrong with a series at once.
 */
public final class SeriesRules {

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String OVERLAY_SOURCE = "overlay_source";

    /** One manifest row (pseudonymous) with the instance list for the series file. */
    public record Decision(String subject, String study, String series, String decision, List<String> reasons,
            List<String> notes, Map<String, String> columns, List<SeriesFiles.Entry> files, String studyForMatch,
            String frameOfReference, double[] orientation, double[] spacing, double thickness, int slices,
            double[] depths) {
    }

    private final IngestRules.Scan rules;
    private final IngestRules.Convert convert;

    public SeriesRules(IngestRules rules) {
        this.rules = rules.scan();
        this.convert = rules.convert();
    }

    /**
     * Decides every series. Each accumulator is released as soon as its row is made (the list's slot is set to
     * null): the per-instance columns are the scan's largest memory, and a decided series keeps only its path
     * handles and depths.
     */
    public List<Decision> decide(List<SeriesAccumulator> all) {
        List<Decision> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            out.add(decide(all.get(i)));
            all.set(i, null);
        }
        matchOverlaySources(out);
        markPreferred(out);
        out.sort(Comparator.comparing(Decision::subject).thenComparing(Decision::study)
                .thenComparing(d -> d.columns().get("series_number"), Comparator.comparingInt(SeriesRules::intOr))
                .thenComparing(Decision::series));
        return out;
    }

    private static int intOr(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The reasons, notes and columns of one series' manifest row as the rules below fill them in. */
    private record Row(List<String> reasons, List<String> notes, Map<String, String> col) {
        Row() {
            this(new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>());
        }
    }

    /** A series' grid as conversion will lay it out, with its files in slice order (null plan: none possible). */
    private record Layout(SeriesGeometry geometry, List<SeriesFiles.Entry> files, double[] depths) {
    }

    private static final List<String> GEOMETRY_COLUMNS = List.of("slices", "dims", "slice_spacing_mm",
            "spacing_uniform", "coverage_mm", "obliquity_deg", "tilt_deg");

    private Decision decide(SeriesAccumulator a) {
        Row row = new Row();
        InstanceHeader s = a.sample;
        String subject = a.subjectKeys.isEmpty() ? "n/a" : String.join(",", a.subjectKeys);
        String study = a.studyKeys.isEmpty() ? "n/a" : String.join(",", a.studyKeys);
        fileProblems(a, row);
        Layout layout = new Layout(null, List.of(), new double[0]);
        boolean derivedWithOverlay = false;
        if (s == null) {
            row.reasons().add("no_readable_instance");
        } else {
            encodingRules(a, row);
            derivedWithOverlay = imageTypeRules(a, row);
            classifyKernel(a, row.reasons(), row.notes());
            thicknessRule(a, row);
            contrastRules(a, row);
            layout = geometryRules(a, row);
        }
        String decision = row.reasons().isEmpty() ? ACCEPTED : REJECTED;
        if (derivedWithOverlay && layout.geometry() != null) {
            decision = OVERLAY_SOURCE; // matched to its CT later; contrast/kernel/thickness do not matter for it
        }
        for (String column : GEOMETRY_COLUMNS) {
            row.col().putIfAbsent(column, "");
        }
        describe(a, row.col());
        String fr = a.frameOfReference.size() == 1 ? a.frameOfReference.iterator().next() : null;
        double thickness = a.thicknesses.size() == 1 ? a.thicknesses.iterator().next() : Double.NaN;
        return new Decision(subject, study, a.seriesKey, decision, row.reasons(), row.notes(), row.col(),
                layout.files(), study, fr, a.orientations.size() == 1 ? a.orientations.get(0) : null,
                a.spacings.size() == 1 ? a.spacings.get(0) : null, thickness,
                layout.geometry() == null ? 0 : layout.geometry().sliceCount(), layout.depths());
    }

    /** Files that could not be read whole, and series that mix subjects or studies. */
    private static void fileProblems(SeriesAccumulator a, Row row) {
        List<String> reasons = row.reasons();
        List<String> notes = row.notes();
        if (a.missing > 0) {
            reasons.add("missing_files=" + a.missing);
        }
        if (a.unreadable > 0) {
            reasons.add("unreadable_files=" + a.unreadable);
        }
        if (a.truncated > 0) {
            reasons.add("truncated_files=" + a.truncated);
        }
        if (a.outsideRoot > 0) {
            reasons.add("file_outside_root=" + a.outsideRoot);
        }
        if (a.duplicateInstances > 0) {
            notes.add("duplicate_instances_dropped=" + a.duplicateInstances);
        }
        if (a.sopMismatch > 0) {
            notes.add("dicomdir_sop_mismatch=" + a.sopMismatch);
        }
        if (a.noPatientId > 0) {
            notes.add("no_patient_id");
        }
        notes.addAll(a.rootNotes);
        if (a.subjectKeys.size() > 1) {
            reasons.add("mixed_subjects");
        }
        if (a.studyKeys.size() > 1) {
            reasons.add("split_across_studies");
        }
    }

    /** Modality, SOP class, frames, transfer syntax and pixel data: what conversion can read at all. */
    private void encodingRules(SeriesAccumulator a, Row row) {
        List<String> reasons = row.reasons();
        if (a.modalities.stream().anyMatch(m -> !rules.modalities().contains(m))) {
            reasons.add("modality=" + String.join("+", a.modalities));
        }
        for (String sop : a.sopClasses) {
            if (!rules.sopClasses().contains(sop)) {
                reasons.add("sop_class=" + sop);
            }
        }
        if (a.multiframe > 0) {
            reasons.add("multiframe");
        }
        for (String ts : a.transferSyntaxes) {
            // decided here so that the scan never accepts what dicom-to-nifti then cannot decode
            if (!org.deepstroke.ingest.dicom.TransferSyntaxes.decodableName(ts)) {
                reasons.add("transfer_syntax_not_decodable=" + ts);
            }
        }
        if (a.noPixelData > 0) {
            reasons.add("no_pixel_data=" + a.noPixelData);
        }
    }

    /**
     * Image type: localizers, derived images and the rejected values of the rules.
     * @return whether the series is a derived copy carrying overlays that the rules keep as an overlay source
     */
    private boolean imageTypeRules(SeriesAccumulator a, Row row) {
        boolean notOriginal = false;
        boolean localizer = false;
        List<String> typeHits = new ArrayList<>();
        for (String type : a.imageTypes) {
            String[] v = type.split("\\\\");
            if (rules.imageType().requireOriginalPrimary()
                    && (v.length < 2 || !v[0].equals("ORIGINAL") || !v[1].equals("PRIMARY"))) {
                notOriginal = true;
            }
            for (String x : v) {
                String value = x.strip();
                if (value.equals("LOCALIZER") || value.equals("SCOUT") || value.equals("TOPOGRAM")) {
                    localizer = true;
                } else if (rules.imageType().rejectValues().contains(value) && !typeHits.contains(value)) {
                    typeHits.add(value);
                }
            }
        }
        if (localizer) {
            row.reasons().add("localizer");
        }
        if (notOriginal) {
            row.reasons().add("not_original_primary");
        }
        for (String hit : typeHits) {
            row.reasons().add("image_type=" + hit.replace(' ', '_'));
        }
        return notOriginal && !localizer && a.overlayInstances > 0 && rules.imageType().keepDerivedWithOverlays();
    }

    private void thicknessRule(SeriesAccumulator a, Row row) {
        double thickness = a.thicknesses.stream().filter(t -> !Double.isNaN(t)).findFirst().orElse(Double.NaN);
        if (Double.isNaN(thickness)) {
            row.reasons().add("thickness_missing");
        } else if (a.thicknesses.size() > 1) {
            row.reasons().add("mixed_thickness");
        } else if (!rules.sliceThicknessMm().contains(thickness)) {
            row.reasons().add("thickness=" + fmt(thickness));
        }
    }

    /** A contrast agent in the header, or a contrast hint in a series description. */
    private void contrastRules(SeriesAccumulator a, Row row) {
        if (a.contrastAgents.stream().anyMatch(v -> !rules.contrast().agentNoneValues().contains(v.strip()))) {
            row.reasons().add("contrast_agent");
        }
        List<Pattern> hints = rules.contrast().hintPatterns();
        for (int h = 0; h < hints.size(); h++) {
            Pattern p = hints.get(h);
            if (a.descriptions.stream().anyMatch(d -> d != null && p.matcher(d).find())) {
                row.reasons().add("contrast_hint=" + rules.contrast().descriptionHints().get(h).replace("\\", "")
                        .replace(' ', '_'));
            }
        }
    }

    /** Orientation, spacing, matrix and positions; when consistent, the grid conversion will build and its rules. */
    private Layout geometryRules(SeriesAccumulator a, Row row) {
        List<String> reasons = row.reasons();
        if (a.orientations.size() > 1) {
            reasons.add("mixed_orientation");
        }
        if (a.spacings.size() > 1) {
            reasons.add("mixed_pixel_spacing");
        }
        if (a.matrices.size() > 1) {
            reasons.add("mixed_matrix");
        }
        if (a.orientations.size() == 1 && a.orientations.get(0) == null) {
            reasons.add("no_orientation");
        }
        boolean geometryPossible = a.orientations.size() == 1 && a.spacings.size() == 1 && a.matrices.size() == 1
                && a.orientations.get(0) != null && a.instances.allPositioned();
        if (!geometryPossible && !a.instances.allPositioned()) {
            reasons.add("no_position");
        }
        SeriesGeometry geometry = null;
        if (geometryPossible) {
            try {
                geometry = SeriesGeometry.plan(pseudoHeaders(a), convert);
            } catch (SeriesGeometry.GeometryException e) {
                reasons.add(e.code());
            }
        }
        Layout layout = geometry == null ? new Layout(null, List.of(), new double[0]) : planned(a, geometry, row);
        if (!layout.files().isEmpty()) {
            return layout;
        }
        // no grid: the files in path order, without depths
        List<SeriesFiles.Entry> unordered = a.instances.files(java.util.stream.IntStream.range(0, a.instances.size())
                .toArray(), null);
        int[] order = java.util.stream.IntStream.range(0, unordered.size()).boxed()
                .sorted(Comparator.comparing((Integer k) -> unordered.get(k).root())
                        .thenComparing(k -> unordered.get(k).path()))
                .mapToInt(Integer::intValue).toArray();
        return new Layout(layout.geometry(), a.instances.files(order, null), layout.depths());
    }

    /** The rules on a planned grid (obliquity, tilt, slices, coverage), its columns and the files in slice order. */
    private Layout planned(SeriesAccumulator a, SeriesGeometry geometry, Row row) {
        List<String> reasons = row.reasons();
        if (geometry.obliquityDeg() > rules.maxAxialAngleDeg()) {
            reasons.add("not_axial=" + fmt(geometry.obliquityDeg()));
        }
        if (geometry.tiltDeg() > rules.maxTiltDeg()) {
            reasons.add("tilt=" + fmt(geometry.tiltDeg()));
        }
        if (geometry.tilted()) {
            row.notes().add("tilt_corrected_on_conversion");
        }
        if (geometry.variableSpacing()) {
            row.notes().add("variable_spacing_resampled_on_conversion");
        }
        int n = geometry.sliceCount();
        double coverage = n > 1 ? geometry.depth(n - 1) - geometry.depth(0) + geometry.sliceSpacing()
                : geometry.sliceSpacing();
        if (n < rules.minSlices()) {
            reasons.add("too_few_slices=" + n);
        }
        if (coverage < rules.minCoverageMm() - 1e-6) {
            reasons.add("coverage_mm=" + fmt(coverage));
        }
        double[] depths = new double[n];
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = geometry.sortedIndex(k);
            depths[k] = geometry.depth(k);
        }
        List<SeriesFiles.Entry> files = a.instances.files(order, depths);
        Map<String, String> col = row.col();
        col.put("slices", String.valueOf(n));
        col.put("dims", geometry.nx() + "x" + geometry.ny() + "x" + geometry.nz());
        col.put("slice_spacing_mm", fmt(geometry.sliceSpacing()));
        col.put("spacing_uniform", geometry.variableSpacing() ? "no" : "yes");
        col.put("coverage_mm", fmt(coverage));
        col.put("obliquity_deg", fmt(geometry.obliquityDeg()));
        col.put("tilt_deg", fmt(geometry.tiltDeg()));
        return new Layout(geometry, files, depths);
    }

    /** The descriptive manifest columns (what the headers say), whatever the decision. */
    private static void describe(SeriesAccumulator a, Map<String, String> col) {
        col.put("file_sets", String.join(",", a.roots));
        col.put("series_number", a.sample == null ? "" : join(a.seriesNumbers));
        col.put("modality", join(a.modalities));
        col.put("sop_class", join(a.sopClasses));
        col.put("image_type", join(a.imageTypes));
        col.put("instances", String.valueOf(a.instances.size()));
        col.put("matrix", join(a.matrices));
        col.put("pixel_spacing_mm", a.spacings.size() == 1 && a.spacings.get(0) != null
                ? fmt(a.spacings.get(0)[0]) + "x" + fmt(a.spacings.get(0)[1]) : a.spacings.isEmpty() ? "" : "mixed");
        col.put("thickness_mm", join(a.thicknesses.stream().map(t -> Double.isNaN(t) ? "" : fmt(t)).toList()));
        col.put("kernel", join(a.kernels));
        col.put("gantry_tilt_header_deg", join(a.headerTilts.stream().map(SeriesRules::fmt).toList()));
        col.put("manufacturer", join(a.manufacturers));
        col.put("model", join(a.models));
        col.put("transfer_syntax", join(a.transferSyntaxes));
        col.put("has_overlay", a.overlayInstances > 0 ? "yes" : "no");
        col.put("overlay_instances", String.valueOf(a.overlayInstances));
    }

    private void classifyKernel(SeriesAccumulator a, List<String> reasons, List<String> notes) {
        for (String kernel : a.kernels) {
            String k = kernel.strip();
            boolean rejected = false;
            for (String part : k.isEmpty() ? List.of("") : List.of(k.split("\\\\"))) {
                String p = part.strip();
                if (!p.isEmpty() && rules.kernel().rejectPatterns().stream().anyMatch(x -> x.matcher(p).find())) {
                    rejected = true;
                }
            }
            if (rejected) {
                reasons.add("kernel=bone_or_lung(" + sanitize(k).replace(';', ',') + ")");
                continue;
            }
            boolean soft = !k.isEmpty() && rules.kernel().acceptPatterns().stream()
                    .anyMatch(x -> java.util.Arrays.stream(k.split("\\\\")).anyMatch(p -> x.matcher(p.strip()).find()));
            if (!soft) {
                if ("reject".equals(rules.kernel().unclassified())) {
                    reasons.add(k.isEmpty() ? "kernel_missing" : "kernel_unclassified");
                } else {
                    notes.add(k.isEmpty() ? "kernel_missing" : "kernel_unclassified");
                }
            }
        }
    }

    /** Headers carrying only what {@link SeriesGeometry#plan} reads, rebuilt from the compact records. */
    private static List<InstanceHeader> pseudoHeaders(SeriesAccumulator a) {
        InstanceHeader s = a.sample;
        List<InstanceHeader> out = new ArrayList<>(a.instances.size());
        InstanceTable t = a.instances;
        for (int i = 0; i < t.size(); i++) {
            out.add(new InstanceHeader("", "", "", "", "", "", "", s.modality(), List.of(), "", s.sliceThickness(),
                    s.spacingBetweenSlices(), t.position(i), a.orientations.get(0), a.spacings.get(0), s.rows(),
                    s.columns(), 1, 1, 16, 16, 15, 0, "", 1, 0, null, null, 0, "", "", "", "", t.instanceNumber(i),
                    0, "", "", Double.NaN, "", List.of(), 0, false));
        }
        return out;
    }

    /**
     * Overlay sources (derived copies with overlays) get the accepted series of the same study on the same grid
     * (frame of reference, orientation, pixel spacing) with the most slice positions in common; none: rejected.
     */
    private void matchOverlaySources(List<Decision> all) {
        for (int i = 0; i < all.size(); i++) {
            Decision src = all.get(i);
            if (!OVERLAY_SOURCE.equals(src.decision())) {
                continue;
            }
            Decision best = null;
            int bestCommon = 0;
            for (Decision ct : all) {
                if (!ACCEPTED.equals(ct.decision()) || !ct.studyForMatch().equals(src.studyForMatch())
                        || ct.orientation() == null || src.orientation() == null
                        || (ct.frameOfReference() != null && src.frameOfReference() != null
                                && !ct.frameOfReference().equals(src.frameOfReference()))
                        || !close(ct.orientation(), src.orientation(), 1e-3) || !close(ct.spacing(), src.spacing(), 1e-3)) {
                    continue;
                }
                int common = 0;
                for (double d : src.depths()) {
                    for (double e : ct.depths()) {
                        if (Math.abs(d - e) < 0.05) {
                            common++;
                            break;
                        }
                    }
                }
                if (common > bestCommon) {
                    best = ct;
                    bestCommon = common;
                }
            }
            List<String> reasons = new ArrayList<>(src.reasons());
            Map<String, String> col = new LinkedHashMap<>(src.columns());
            String decision = OVERLAY_SOURCE;
            if (best == null) {
                reasons.add("no_matching_ct");
                decision = REJECTED;
            } else {
                col.put("overlay_target", best.series());
            }
            all.set(i, new Decision(src.subject(), src.study(), src.series(), decision, reasons, src.notes(), col,
                    src.files(), src.studyForMatch(), src.frameOfReference(), src.orientation(), src.spacing(),
                    src.thickness(), src.slices(), src.depths()));
        }
    }

    /** Per study, the accepted series whose thickness is closest to the preferred one (then more slices). */
    private void markPreferred(List<Decision> all) {
        Map<String, Decision> best = new LinkedHashMap<>();
        for (Decision d : all) {
            if (!ACCEPTED.equals(d.decision())) {
                continue;
            }
            Decision b = best.get(d.study());
            if (b == null || better(d, b)) {
                best.put(d.study(), d);
            }
        }
        for (Decision d : all) {
            d.columns().put("preferred", best.get(d.study()) == d ? "yes" : "no");
            d.columns().putIfAbsent("overlay_target", "");
        }
    }

    private boolean better(Decision a, Decision b) {
        double da = Math.abs(a.thickness() - rules.preferredThicknessMm());
        double db = Math.abs(b.thickness() - rules.preferredThicknessMm());
        if (Math.abs(da - db) > 1e-6) {
            return da < db;
        }
        if (a.slices() != b.slices()) {
            return a.slices() > b.slices();
        }
        return a.series().compareTo(b.series()) < 0;
    }

    private static boolean close(double[] x, double[] y, double tol) {
        if (x == null || y == null || x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i] - y[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        String s = String.format(Locale.ROOT, "%.3f", v + 0.0);
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.equals("-0") ? "0" : s;
    }

    private static String join(java.util.Collection<?> values) {
        List<String> v = values.stream().map(String::valueOf).map(SeriesRules::sanitize).filter(x -> !x.isEmpty())
                .distinct().toList();
        return String.join(";", v);
    }

    /** No tabs or line breaks in a TSV cell. */
    static String sanitize(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]+", " ").strip();
    }
}
