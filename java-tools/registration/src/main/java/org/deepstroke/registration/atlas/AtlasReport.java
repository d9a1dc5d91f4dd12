package org.deepstroke.registration.atlas;

import org.deepstroke.core.io.ArchivedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.registration.Ants;

/**
 * atlas.json: where the label map came from (inputs with checksums, ANTs version and command, preset, threads,
 * seed), how good the registration looks (correlation of the warped atlas template with the target) and what it
 * contains (voxels and millilitres per region).
 */
public final class AtlasReport {

    private AtlasReport() {
    }

    public static void write(AtlasMapping.Request request, AtlasMapping.Outcome outcome, AtlasOutputs out)
            throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("tool", "deepstroke atlas");
        report.put("version", Version.get());
        report.put("template", file(request.template()));
        report.put("atlas", request.regions().provenance());
        report.put("atlas_template", request.atlasTemplate() == null ? null : file(request.atlasTemplate()));
        report.put("registration", registration(request, outcome, out));
        report.put("mr_template_route", mrRoute(request, outcome, out));
        Map<String, Object> fusion = new LinkedHashMap<>();
        fusion.put("interpolation", "linear (memberships)");
        fusion.put("threshold", LabelFusion.THRESHOLD);
        fusion.put("rule", "argmax membership >= threshold, ties to the lowest id");
        report.put("fusion", fusion);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("labels", out.labels().getFileName().toString());
        files.put("table", out.labelTable().getFileName().toString());
        files.put("qc_png", out.qcImage().getFileName().toString());
        report.put("outputs", files);
        Map<String, Object> qc = new LinkedHashMap<>();
        qc.put("ganglionic_slice", outcome.qcSlices().ganglionic());
        qc.put("supraganglionic_slice", outcome.qcSlices().supraganglionic());
        qc.put("anatomy_checks", outcome.anatomyChecks());
        report.put("qc", qc);
        report.put("regions", regions(outcome));
        String json = Json.pretty(report);
        AtomicFiles.writeString(out.report(), json);
    }

    private static Map<String, Object> registration(AtlasMapping.Request request, AtlasMapping.Outcome outcome,
            AtlasOutputs out) {
        Map<String, Object> r = new LinkedHashMap<>();
        TemplateRegistration.Result reg = outcome.registration();
        r.put("skipped", reg == null);
        if (reg == null) {
            r.put("reason", "no atlas template given: the atlas is declared to be in the template's space; "
                    + "regions resampled through world coordinates");
            return r;
        }
        r.put("route", outcome.mrRoute() == null ? "atlas CT template to template (CC)"
                : "atlas MR template to template (MI + pseudo-CT CC)");
        r.put("program", "antsRegistration");
        r.put("ants_version", Ants.find().map(AtlasReport::version).orElse("unknown"));
        r.put("preset", request.preset().id());
        r.put("threads", request.threads());
        r.put("seed", request.seed());
        r.put("hu_window", List.of(HuClip.BRAIN.low(), HuClip.BRAIN.high()));
        r.put("template_smoothing_sigma_mm", round(outcome.inputs().fixedSigmaMm()));
        r.put("atlas_template_smoothing_sigma_mm", round(outcome.inputs().movingSigmaMm()));
        r.put("command", reg.commandLine());
        r.put("wall_seconds", Math.round(reg.elapsed().toMillis() / 100.0) / 10.0);
        r.put("correlation_after", outcome.correlationAfter() == null ? null
                : Math.round(outcome.correlationAfter() * 1e4) / 1e4);
        Map<String, Object> transforms = new LinkedHashMap<>();
        transforms.put("affine", reg.affine().getFileName().toString());
        transforms.put("warp", reg.warp().getFileName().toString());
        transforms.put("inverse_warp", reg.inverseWarp().getFileName().toString());
        transforms.put("warped_atlas_template", reg.warped().getFileName().toString());
        transforms.put("log", out.registrationLog().getFileName().toString());
        r.put("transforms", transforms);
        return r;
    }

    private static Map<String, Object> mrRoute(AtlasMapping.Request request, AtlasMapping.Outcome outcome,
            AtlasOutputs out) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        MrTemplateRoute.Result route = outcome.mrRoute();
        r.put("applied", route != null);
        if (route == null) {
            r.put("reason", "no atlas MR template given");
            return r;
        }
        ArchivedFile mr = request.atlasMrTemplate();
        Map<String, Object> f = file(mr.file());
        f.put("entry", mr.entry());
        r.put("atlas_mr_template", f);
        Map<String, Object> tissue = new LinkedHashMap<>();
        tissue.put("method", "Atropos k-means, 3 classes (1 CSF, 2 grey, 3 white matter) inside the MR template's "
                + "nonzero voxels");
        tissue.put("command", route.atroposCommand());
        tissue.put("wall_seconds", Math.round(route.atroposElapsed().toMillis() / 100.0) / 10.0);
        tissue.put("classes", out.mrTissue().getFileName().toString());
        tissue.put("log", out.mrTissueLog().getFileName().toString());
        r.put("tissue_classes", tissue);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("mi_ct_vs_mr_weight", MrTemplateRoute.MI_WEIGHT);
        metrics.put("cc_ct_vs_pseudo_ct_weight", MrTemplateRoute.CC_WEIGHT);
        metrics.put("pseudo_ct_hu_csf_grey_white", List.of(MrTemplateRoute.CLASS_HU[1], MrTemplateRoute.CLASS_HU[2],
                MrTemplateRoute.CLASS_HU[3]));
        metrics.put("pseudo_ct_sigma_mm", MrTemplateRoute.PSEUDO_CT_SIGMA_MM);
        r.put("syn_metrics", metrics);
        Map<String, Object> snap = new LinkedHashMap<>();
        snap.put("regions", AspectsRegion.all().stream().filter(GreyNucleusSnap::applies).map(AspectsRegion::key)
                .toList());
        snap.put("rule", "membership >= 0.5 and grey matter, grown through face-connected grey matter within the "
                + "region's axial levels");
        snap.put("growth_mm", GreyNucleusSnap.GROWTH_MM);
        r.put("grey_nucleus_snap", snap);
        return r;
    }

    private static List<Map<String, Object>> regions(AtlasMapping.Outcome outcome) {
        ImageVolume labels = outcome.labels();
        double[] s = labels.spacing();
        double voxelMl = s[0] * s[1] * s[2] / 1000.0;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AspectsRegion region : AspectsRegion.all()) {
            long voxels = outcome.voxelCounts().get(region);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", region.id());
            row.put("region", region.code());
            row.put("hemisphere", region.side().name());
            row.put("level", region.level().name());
            row.put("voxels", voxels);
            row.put("volume_ml", Math.round(voxels * voxelMl * 100) / 100.0);
            rows.add(row);
        }
        return rows;
    }

    private static double[] round(double[] values) {
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.round(values[i] * 1000) / 1000.0;
        }
        return r;
    }

    private static String version(Ants ants) {
        try {
            return ants.version();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Map<String, Object> file(Path path) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path.toAbsolutePath().toString());
        f.put("sha256", sha256(path));
        return f;
    }

    static String sha256(Path path) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java runtime has SHA-256
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
