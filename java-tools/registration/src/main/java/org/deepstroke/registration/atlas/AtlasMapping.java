package org.deepstroke.registration.atlas;

import org.deepstroke.core.io.ArchivedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.LabelsTsv;
import org.deepstroke.core.cli.Progress;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps an ASPECTS region atlas onto a target CT template: registers the regions' own MR template ({@link
 * MrTemplateRoute}, the caudate snapped first) or a CT template in the atlas space to the target (unless the atlas
 * is declared to be in the target's space already), carries each region's membership onto the target grid, fuses
 * them into one label map and writes the label map, its table, a QC picture and a report.
 */
public final class AtlasMapping {

    private static final Logger LOG = LoggerFactory.getLogger(AtlasMapping.class);

    /**
     * What to map where. {@code atlasTemplate} null: the atlas is already in the template's space.
     * {@code atlasMrTemplate} (instead of {@code atlasTemplate}): the MR template the regions were drawn on, registered
     * straight to the target; see {@link MrTemplateRoute}. Neither: the atlas is already in the template's space.
     */
    public record Request(Path template, AtlasRegions regions, Path atlasTemplate, ArchivedFile atlasMrTemplate,
            Path outputDir, RegistrationPreset preset, int threads, long seed) {

        public Request {
            if (atlasMrTemplate != null && atlasTemplate != null) {
                throw new IllegalArgumentException("an atlas CT template or an atlas MR template, not both");
            }
        }

        /** Without an MR template: the regions were drawn on the atlas CT template's anatomy. */
        public Request(Path template, AtlasRegions regions, Path atlasTemplate, Path outputDir,
                RegistrationPreset preset, int threads, long seed) {
            this(template, regions, atlasTemplate, null, outputDir, preset, threads, seed);
        }
    }

    /** The mapped label map and what happened on the way; registration, inputs and correlation null if skipped. */
    public record Outcome(ImageVolume labels, Map<AspectsRegion, Long> voxelCounts,
            TemplateRegistration.Result registration, RegistrationInputs inputs, Double correlationAfter,
            MrTemplateRoute.Result mrRoute, AtlasQcImage.Slices qcSlices, Map<String, Boolean> anatomyChecks) {
    }

    private AtlasMapping() {
    }

    public static Outcome run(Request request) throws IOException, InterruptedException {
        AtlasOutputs out = new AtlasOutputs(request.outputDir());
        Files.createDirectories(out.dir());
        Files.createDirectories(out.scratch());
        // Logs are appended to by each command: start them afresh so a rerun's log is that run's.
        Files.deleteIfExists(out.registrationLog());
        Files.deleteIfExists(out.applyTransformsLog());
        Files.deleteIfExists(out.mrTissueLog());
        Files.deleteIfExists(out.mrTissue());
        ImageVolume template = NiftiReader.read(request.template());
        warnUnlessHu(request.template(), template);

        LabelFusion fusion = new LabelFusion(template);
        Registered registered = null;
        if (request.atlasTemplate() == null && request.atlasMrTemplate() == null) {
            LOG.info("atlas declared in the template's space: resampling through world coordinates, no registration");
            try (Progress progress = new Progress("resampling regions", AspectsRegion.values().length)) {
                for (AspectsRegion region : AspectsRegion.all()) {
                    fusion.add(region, clampToUnit(Interpolation.trilinearOnto(request.regions().membership(region),
                            template)));
                    progress.advance(1);
                }
            }
        } else {
            registered = register(request, template, out);
            AntsMembershipWarper warper = new AntsMembershipWarper(registered.ants(), request.template(),
                    registered.result().forwardTransforms(), request.threads(), request.seed(),
                    out.applyTransformsLog());
            try (Progress progress = new Progress("warping regions", AspectsRegion.values().length)) {
                for (AspectsRegion region : AspectsRegion.all()) {
                    Path mask = snappedIfNucleus(request, registered, region, out);
                    ImageVolume warped = ants(() -> warper.warp(mask, out.scratch(), region.key()));
                    fusion.add(region, clampToUnit(onGrid(warped, template)));
                    progress.advance(1);
                }
            }
        }

        ImageVolume labels = fusion.labels();
        NiftiWriter.write(labels, out.labels(), NiftiDatatype.UINT8);
        LabelsTsv.write(out.labelTable());
        AtlasQcImage.Slices slices = AtlasQcImage.chooseSlices(template, labels);
        AtlasQcImage.write(AtlasQcImage.render(template, labels, "ASPECTS regions on "
                + request.template().getFileName()), out.qcImage());
        Map<String, Boolean> checks = AnatomyCheck.run(labels);
        checks.forEach((name, ok) -> {
            if (!ok) {
                LOG.warn("anatomy check failed: {} (flipped atlas, wrong mask names or failed registration? see {})",
                        name, out.qcImage());
            }
        });
        Outcome outcome = registered == null
                ? new Outcome(labels, fusion.voxelCounts(), null, null, null, null, slices, checks)
                : new Outcome(labels, fusion.voxelCounts(), registered.result(), registered.inputs(),
                        registered.correlation(), registered.mrRoute(), slices, checks);
        AtlasReport.write(request, outcome, out);

        List<String> empty = outcome.voxelCounts().entrySet().stream().filter(e -> e.getValue() == 0)
                .map(e -> e.getKey().key()).toList();
        if (!empty.isEmpty()) {
            throw new ToolFailure(out.labels(), "regions empty after mapping: " + String.join(", ", empty)
                    + " (registration failed or the atlas does not overlap the template; see " + out.qcImage() + ")");
        }
        deleteTree(out.scratch());
        return outcome;
    }

    /** A finished registration and what it was run on; {@code mrRoute} set when the MR template was registered. */
    private record Registered(Ants ants, TemplateRegistration.Result result, RegistrationInputs inputs,
            Double correlation, MrTemplateRoute.Result mrRoute) {
    }

    /** Registers the atlas' CT template (prepared) or, given one, the regions' own MR template to the target. */
    private static Registered register(Request request, ImageVolume template, AtlasOutputs out)
            throws IOException, InterruptedException {
        Ants ants = Ants.locate();
        if (request.atlasMrTemplate() != null) {
            Path mr = request.atlasMrTemplate().materialise(out.scratch());
            LOG.info("registering the regions' own template {} to {} (Atropos tissue classes, then antsRegistration "
                    + "with MI + pseudo-CT CC, preset {}, {} threads, seed {})", request.atlasMrTemplate().describe(),
                    request.template().getFileName(), request.preset().id(), request.threads(), request.seed());
            MrTemplateRoute.Result route = ants(() -> new MrTemplateRoute(ants, request.preset(), request.threads(),
                    request.seed()).run(template, mr, out));
            LOG.info("tissue classes took {} s, registration {} s", route.atroposElapsed().toSeconds(),
                    route.registration().elapsed().toSeconds());
            // What CC saw: the target against the warped pseudo-CT (the warped T1 differs in modality).
            ImageVolume warpedPseudoCt = ants(() -> new AntsMembershipWarper(ants, request.template(),
                    route.registration().forwardTransforms(), request.threads(), request.seed(),
                    out.applyTransformsLog()).warp(route.inputs().moving(), out.scratch(), "pseudo_ct"));
            double correlation = ImageSimilarity.correlation(onGrid(NiftiReader.read(route.inputs().fixed()), template),
                    onGrid(warpedPseudoCt, template), template);
            return new Registered(ants, route.registration(), route.inputs(), correlation, route);
        }
        ImageVolume atlasTemplate = NiftiReader.read(request.atlasTemplate());
        warnUnlessHu(request.atlasTemplate(), atlasTemplate);
        RegistrationInputs inputs = RegistrationInputs.prepare(template, atlasTemplate, HuClip.BRAIN,
                out.scratch());
        LOG.info("registering {} to {} (antsRegistration, preset {}, {} threads, seed {})",
                request.atlasTemplate().getFileName(), request.template().getFileName(), request.preset().id(),
                request.threads(), request.seed());
        TemplateRegistration registration = new TemplateRegistration(ants, request.preset(), request.threads(),
                request.seed());
        TemplateRegistration.Result result = ants(() -> registration.run(inputs.fixed(), inputs.moving(),
                out.transformPrefix(), out.registrationLog()));
        LOG.info("registration took {} s", result.elapsed().toSeconds());
        // The prepared images after registration: how well the pictures registration saw agree.
        double correlation = ImageSimilarity.correlation(onGrid(NiftiReader.read(inputs.fixed()), template),
                onGrid(NiftiReader.read(result.warped()), template), template);
        return new Registered(ants, result, inputs, correlation, null);
    }

    /** The region's membership file; on the MR route a grey-matter nucleus is first snapped ({@link GreyNucleusSnap}). */
    private static Path snappedIfNucleus(Request request, Registered registered, AspectsRegion region,
            AtlasOutputs out) throws IOException {
        if (registered.mrRoute() == null || !GreyNucleusSnap.applies(region)) {
            return request.regions().membershipFile(region, out.scratch());
        }
        ImageVolume snapped = GreyNucleusSnap.snap(request.regions().membership(region),
                registered.mrRoute().tissue());
        Path file = out.scratch().resolve("snapped_" + region.key() + ".nii.gz");
        NiftiWriter.write(snapped, file, NiftiDatatype.UINT8);
        return file;
    }

    /** ANTs writes its grid in float32 from ITK's direction cosines; put the exact template grid back. */
    private static ImageVolume onGrid(ImageVolume warped, ImageVolume template) {
        if (!warped.sameGrid(template, 1e-3)) {
            throw new ToolFailure("antsApplyTransforms wrote a grid other than the template's: " + warped.voxelToWorld()
                    + " vs " + template.voxelToWorld());
        }
        return template.withData(warped.data());
    }

    /** Linear interpolation of [0, 1] data stays in [0, 1] up to rounding; the fusion relies on the range. */
    private static ImageVolume clampToUnit(ImageVolume membership) {
        float[] d = membership.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = Float.isNaN(d[i]) ? 0 : Math.max(0, Math.min(1, d[i]));
        }
        return membership;
    }

    private static void warnUnlessHu(Path file, ImageVolume ct) {
        double inside = HuClip.BRAIN.fractionInside(ct);
        if (inside < 0.8) {
            LOG.warn("{}: only {}% of the nonzero voxels lie in {}..{} HU: is it a skull-stripped CT template in HU?",
                    file, Math.round(100 * inside), HuClip.BRAIN.low(), HuClip.BRAIN.high());
        }
    }

    private interface AntsCall<T> {
        T call() throws IOException, InterruptedException;
    }

    /** An ANTs failure is a tool failure: one line with the command and the log's tail. */
    private static <T> T ants(AntsCall<T> call) throws IOException, InterruptedException {
        try {
            return call.call();
        } catch (ExternalCommand.CommandFailedException e) {
            throw new ToolFailure(null, e.getMessage(), e); // the message names the command and its log
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
