package org.deepstroke.registration.tools;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.atlas.AtlasQcImage;
import org.deepstroke.registration.overlay.OutlineImage;
import org.deepstroke.registration.overlay.OverlayAggregate;
import org.deepstroke.registration.overlay.OverlayQcImage;

/**
 * {@code deepstroke refine-overlay}: the seed's second registration. SyN of the ASPECTS atlas outline (moving) onto
 * one subject's overlay in atlas space (fixed), so that the atlas regions follow the outlines the reader drew.
 *
 * <p>Both images are binary outlines smoothed within axial planes (sigma {@code --sigma-mm}) and scaled to a maximum
 * of 1, compared by mean squares. The overlay exists only on a few axial planes and has gaps, so the metric is
 * restricted (fixed mask) to voxels within {@code --mask-radius-mm} of an overlay point in the same plane: elsewhere
 * the absence of a drawn outline says nothing. The deformation spreads beyond the mask only through SyN's
 * regularisation.
 *
 * <p>Output {@code <prefix>0Warp.nii.gz} maps points of the subject's atlas-space (first-registration) coordinates
 * onto the atlas. Back-projection of the atlas onto the native grid then lists, in ANTs order (first listed is applied
 * first to a native point): {@code --transform [reg_0GenericAffine.mat,1] --transform reg_1InverseWarp.nii.gz
 * --transform <prefix>0Warp.nii.gz}.
 */
public final class RefineOverlayTool implements Tool {

    static final double DEFAULT_SIGMA_MM = 2;
    static final double DEFAULT_MASK_RADIUS_MM = 6;
    static final String DEFAULT_ITERATIONS = "40x20x0";
    static final String DEFAULT_SYN = "0.2,3,1";

    @Override
    public String name() {
        return "refine-overlay";
    }

    @Override
    public String summary() {
        return "Second registration: SyN of the ASPECTS atlas outline onto a subject's atlas-space overlay";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("overlay").hasArg().argName("NIFTI").required()
                        .desc("the subject's overlay in atlas space (overlay-to-atlas output)").build())
                .addOption(Option.builder().longOpt("atlas-labels").hasArg().argName("NIFTI").required()
                        .desc("ASPECTS label map on the same atlas grid (aspects_labels.nii.gz)").build())
                .addOption(Option.builder().longOpt("output-prefix").hasArg().argName("PREFIX").required()
                        .desc("gets <prefix>0Warp.nii.gz, <prefix>0InverseWarp.nii.gz, <prefix>refine.log, "
                                + "<prefix>refine_qc.json, <prefix>refine_qc.png").build())
                .addOption(CommonOptions.threads("ITK threads (default 1)"))
                .addOption(CommonOptions.seed("random seed (default 42)"))
                .addOption(Option.builder().longOpt("timeout-s").hasArg().argName("S")
                        .desc("limit for antsRegistration (default 1800)").build())
                .addOption(Option.builder().longOpt("sigma-mm").hasArg().argName("MM")
                        .desc("in-plane smoothing of both outlines (default " + DEFAULT_SIGMA_MM + ")").build())
                .addOption(Option.builder().longOpt("mask-radius-mm").hasArg().argName("MM")
                        .desc("metric mask: in-plane distance to an overlay point (default " + DEFAULT_MASK_RADIUS_MM
                                + ")").build())
                .addOption(Option.builder().longOpt("iterations").hasArg().argName("AxBxC")
                        .desc("SyN iterations per level, shrink 4x2x1 (default " + DEFAULT_ITERATIONS + ")").build())
                .addOption(Option.builder().longOpt("syn").hasArg().argName("G,U,T")
                        .desc("SyN[gradient step, update sigma, total sigma] (default " + DEFAULT_SYN + ")").build());
    }

    /** What the command line asks for, read after the output guard. */
    private record Request(Path overlayFile, Path labelsFile, String prefix, int threads, long seed, int timeout,
            double sigma, double radius, String iterations, String syn) {

        Path output(String suffix) {
            return Path.of(prefix + suffix);
        }
    }

    /** The overlay's voxels (binary), its count, the atlas outline, and the metric mask around the overlay. */
    private record Outlines(ImageVolume labels, ImageVolume hits, long points, ImageVolume outline, float[] mask) {
    }

    /** The files antsRegistration reads, in the work folder. */
    private record Inputs(Path work, Path fixed, Path moving, Path mask, Path outline) {
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Request q = request(cmd);
        Outlines o = readOutlines(q);
        Inputs in = writeInputs(q, o);

        Ants ants = Ants.locate();
        Path log = q.output("refine.log");
        Files.deleteIfExists(log);
        ExternalCommand registration = registration(ants, q, in, log);
        ExternalCommand.Result result = registration.run();
        Path warp = q.output("0Warp.nii.gz");
        if (!Files.isRegularFile(warp)) {
            throw new ToolFailure(warp, "antsRegistration succeeded but did not write the warp; log " + log);
        }
        // The atlas outline carried onto the overlay's space by the refinement, for the QC.
        Path warpedOutline = in.work().resolve("outline_refined.nii.gz");
        ants.command("antsApplyTransforms", List.of("-d", "3", "-i", in.outline().toString(), "-r",
                in.fixed().toString(), "-o", warpedOutline.toString(), "-n", "NearestNeighbor", "-t", warp.toString()),
                q.threads(), q.seed()).log(log).timeout(Duration.ofSeconds(q.timeout())).run();
        ImageVolume refined = NiftiReader.read(warpedOutline);

        Map<String, Object> before = distances(o.hits(), o.outline());
        Map<String, Object> after = distances(o.hits(), refined);
        String text = Json.pretty(qcJson(q, o, registration, result, before, after, warp));
        AtomicFiles.writeString(q.output("refine_qc.json"), text);
        writeQc(o.labels(), o.hits(), o.outline(), refined, before, after, q.output("refine_qc.png"));
        OverlayToAtlasTool.deleteTree(in.work());
        out.print(text);
        return ExitCodes.OK;
    }

    /** Reads and checks the options; the output guard runs before anything is read. */
    private static Request request(CommandLine cmd) throws IOException {
        Path overlayFile = Args.existingFile(cmd, "overlay");
        Path labelsFile = Args.existingFile(cmd, "atlas-labels");
        String prefix = Args.requiredPath(cmd, "output-prefix").toString();
        OutputGuard guard = OutputGuard.create().input("overlay", overlayFile).input("atlas-labels", labelsFile);
        for (String suffix : List.of("refine.log", "0Warp.nii.gz", "0InverseWarp.nii.gz", "refine_qc.json",
                "refine_qc.png")) {
            guard.output("output-prefix", Path.of(prefix + suffix));
        }
        guard.check();
        int threads = Args.intValue(cmd, "threads", 1);
        long seed = Args.intValue(cmd, "seed", 42);
        int timeout = Args.intValue(cmd, "timeout-s", 1800);
        double sigma = Args.doubleValue(cmd, "sigma-mm", DEFAULT_SIGMA_MM);
        double radius = Args.doubleValue(cmd, "mask-radius-mm", DEFAULT_MASK_RADIUS_MM);
        String iterations = cmd.getOptionValue("iterations", DEFAULT_ITERATIONS);
        String syn = cmd.getOptionValue("syn", DEFAULT_SYN);
        if (threads < 1 || timeout < 1 || !(sigma > 0) || !(radius > 0)) {
            throw new UsageError("need --threads, --timeout-s >= 1 and --sigma-mm, --mask-radius-mm > 0");
        }
        if (!iterations.matches("\\d+x\\d+x\\d+") || !syn.matches("[0-9.]+,[0-9.]+,[0-9.]+")) {
            throw new UsageError("--iterations expects AxBxC (three levels), --syn G,U,T");
        }
        return new Request(overlayFile, labelsFile, prefix, threads, seed, timeout, sigma, radius, iterations, syn);
    }

    private static Outlines readOutlines(Request q) throws IOException {
        ImageVolume overlay = NiftiReader.read(q.overlayFile());
        ImageVolume labels = NiftiReader.read(q.labelsFile());
        if (!overlay.sameGrid(labels, OverlayAggregate.GRID_TOLERANCE_MM)) {
            throw new ToolFailure(q.overlayFile(), "not on the grid of " + q.labelsFile()
                    + " (map the overlay into atlas space with overlay-to-atlas first)");
        }
        ImageVolume hits = overlay.withData(binary(overlay.data()));
        long points = count(hits.data());
        if (points == 0) {
            throw new ToolFailure(q.overlayFile(), "the overlay has no set voxel");
        }
        ImageVolume outline = OutlineImage.boundary(labels);
        if (count(outline.data()) == 0) {
            throw new ToolFailure(q.labelsFile(), "no labelled region: no outline to register to");
        }
        float[] distance = OutlineImage.inPlaneDistance(hits);
        float[] mask = new float[distance.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = distance[i] <= q.radius() ? 1 : 0;
        }
        return new Outlines(labels, hits, points, outline, mask);
    }

    /** Both outlines smoothed in-plane, the metric mask and the raw atlas outline, in {@code <prefix>refine_work}. */
    private static Inputs writeInputs(Request q, Outlines o) throws IOException {
        Path work = q.output("refine_work");
        Files.createDirectories(work);
        Path fixed = work.resolve("overlay_smoothed.nii.gz");
        Path moving = work.resolve("outline_smoothed.nii.gz");
        Path maskFile = work.resolve("metric_mask.nii.gz");
        Path outlineFile = work.resolve("outline.nii.gz");
        NiftiWriter.write(OutlineImage.smoothInPlane(o.hits(), q.sigma()), fixed, NiftiDatatype.FLOAT32);
        NiftiWriter.write(OutlineImage.smoothInPlane(o.outline(), q.sigma()), moving, NiftiDatatype.FLOAT32);
        NiftiWriter.write(o.hits().withData(o.mask()), maskFile, NiftiDatatype.UINT8);
        NiftiWriter.write(o.outline(), outlineFile, NiftiDatatype.UINT8);
        return new Inputs(work, fixed, moving, maskFile, outlineFile);
    }

    /** The SyN of the smoothed atlas outline onto the smoothed overlay, mean squares within the metric mask. */
    private static ExternalCommand registration(Ants ants, Request q, Inputs in, Path log) {
        List<String> args = List.of("--dimensionality", "3", "--float", "1", "--verbose", "1",
                "--random-seed", Long.toString(q.seed()), "--interpolation", "Linear",
                "--transform", "SyN[" + q.syn() + "]",
                "--metric", "MeanSquares[" + in.fixed() + "," + in.moving() + ",1]",
                "--convergence", "[" + q.iterations() + ",1e-6,10]", "--shrink-factors", "4x2x1",
                "--smoothing-sigmas", "2x1x0vox", "--masks", "[" + in.mask() + ",NULL]",
                "--output", "[" + q.prefix() + "," + in.work().resolve("warped.nii.gz") + "]");
        return ants.command("antsRegistration", args, q.threads(), q.seed()).log(log)
                .timeout(Duration.ofSeconds(q.timeout()));
    }

    private static Map<String, Object> qcJson(Request q, Outlines o, ExternalCommand registration,
            ExternalCommand.Result result, Map<String, Object> before, Map<String, Object> after, Path warp) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tool", "deepstroke refine-overlay");
        json.put("version", Version.get());
        json.put("overlay", q.overlayFile().toString());
        json.put("atlas_labels", q.labelsFile().toString());
        json.put("overlay_voxels", o.points());
        json.put("metric_mask_voxels", count(o.mask()));
        json.put("sigma_mm", q.sigma());
        json.put("mask_radius_mm", q.radius());
        json.put("command", registration.commandLine());
        json.put("wall_seconds", Math.round(result.elapsed().toMillis() / 100.0) / 10.0);
        json.put("overlay_to_atlas_outline_distance_mm_before", before);
        json.put("overlay_to_atlas_outline_distance_mm_after", after);
        json.put("warp", warp.toString());
        json.put("back_project_transforms", List.of("[<reg>0GenericAffine.mat,1]", "<reg>1InverseWarp.nii.gz",
                warp.getFileName().toString()));
        json.put("transform_order", "ANTs order: the first listed transform is applied first to a native point");
        return json;
    }

    /** Mean, median and 95th percentile of the in-plane distance from overlay voxels to the nearest outline voxel. */
    static Map<String, Object> distances(ImageVolume hits, ImageVolume outline) {
        float[] d = OutlineImage.inPlaneDistance(outline);
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            if (hits.data()[i] > 0.5f && d[i] < 1000) {
                values.add(d[i]);
            }
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        Arrays.sort(v);
        Map<String, Object> m = new LinkedHashMap<>();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        m.put("voxels", v.length);
        m.put("mean", v.length == 0 ? null : Math.round(mean / v.length * 1000) / 1000.0);
        m.put("median", v.length == 0 ? null : Math.round(v[v.length / 2] * 1000) / 1000.0);
        m.put("p95", v.length == 0 ? null : Math.round(v[Math.min(v.length - 1, (int) (0.95 * v.length))] * 1000)
                / 1000.0);
        return m;
    }

    private static void writeQc(ImageVolume labels, ImageVolume hits, ImageVolume outline, ImageVolume refined,
            Map<String, Object> before, Map<String, Object> after, Path file) throws IOException {
        Map<Integer, Color> colours = Map.of(1, Color.CYAN, 2, Color.RED);
        List<Integer> slices = OverlayQcImage.busiestSlices(hits, 2, 16);
        List<OverlayQcImage.Panel> panels = List.of(
                new OverlayQcImage.Panel("before: atlas outline (cyan) vs overlay (red), mean distance "
                        + before.get("mean") + " mm", labels, 0, 20, marks(outline, hits), colours),
                new OverlayQcImage.Panel("after refinement: mean distance " + after.get("mean") + " mm", labels, 0,
                        20, marks(refined, hits), colours));
        Map<String, Color> legend = new LinkedHashMap<>();
        legend.put("atlas outline", Color.CYAN);
        legend.put("subject overlay", Color.RED);
        AtlasQcImage.write(OverlayQcImage.render("refine-overlay: atlas outline onto the subject's overlay", panels,
                slices, legend), file);
    }

    private static ImageVolume marks(ImageVolume outline, ImageVolume hits) {
        float[] m = new float[hits.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = hits.data()[i] > 0.5f ? 2 : outline.data()[i] > 0.5f ? 1 : 0;
        }
        return hits.withData(m);
    }

    private static float[] binary(float[] d) {
        float[] b = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            b[i] = d[i] > 0.5f ? 1 : 0;
        }
        return b;
    }

    private static long count(float[] d) {
        long n = 0;
        for (float x : d) {
            n += x > 0.5f ? 1 : 0;
        }
        return n;
    }
}
