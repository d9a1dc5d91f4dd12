package org.deepstroke.registration.tools;

import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.deepstroke.registration.atlas.AtlasQcImage;
import org.deepstroke.registration.overlay.OverlayAggregate;
import org.deepstroke.registration.overlay.OverlayQcImage;

/**
 * {@code deepstroke aggregate-overlays}: all atlas-space overlays -> the mean overlay template, the per-voxel number
 * of overlays, a QC picture (the mean over the template at the two busiest levels) and aggregate.json.
 */
public final class AggregateOverlaysTool implements Tool {

    static final int QC_STEPS = 5;

    @Override
    public String name() {
        return "aggregate-overlays";
    }

    @Override
    public String summary() {
        return "Atlas-space overlays -> mean overlay template + count map + QC PNG + JSON";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("overlays").hasArgs().argName("NIFTI...").required()
                        .desc("overlays in atlas space (overlay-to-atlas outputs), all on the --reference grid").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI").required()
                        .desc("the atlas CT template (grid and QC background)").build())
                .addOption(CommonOptions.outputDir("gets mean_overlay.nii.gz, overlay_count.nii.gz, aggregate_qc.png, "
                        + "aggregate.json"));
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        List<Path> overlays = new ArrayList<>();
        for (String o : cmd.getOptionValues("overlays")) {
            Path p = Path.of(o);
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new ToolFailure(p, "no such file");
            }
            overlays.add(p);
        }
        if (overlays.isEmpty()) {
            throw new UsageError("--overlays needs at least one file");
        }
        Path referenceFile = Args.existingFile(cmd, "reference");
        Path dir = Args.requiredPath(cmd, "output-dir");
        OutputGuard guard = OutputGuard.create().inputs("overlays", overlays).input("reference", referenceFile)
                .outputFolder("output-dir", dir);
        for (String name : List.of("mean_overlay.nii.gz", "overlay_count.nii.gz", "aggregate_qc.png",
                "aggregate.json")) {
            guard.output("output-dir", dir.resolve(name));
        }
        guard.check();
        ImageVolume reference = NiftiReader.read(referenceFile);
        OverlayAggregate.Result r = OverlayAggregate.of(overlays, reference, referenceFile);
        NiftiWriter.write(r.mean(), dir.resolve("mean_overlay.nii.gz"), NiftiDatatype.FLOAT32);
        NiftiWriter.write(r.count(), dir.resolve("overlay_count.nii.gz"), NiftiDatatype.UINT16);

        List<Integer> slices = OverlayQcImage.busiestSlices(r.count(), 2, 16);
        float[] bins = new float[reference.size()];
        long covered = 0;
        int maxCount = 0;
        double massSum = 0;
        for (int i = 0; i < bins.length; i++) {
            float m = r.mean().data()[i];
            bins[i] = m <= 0 ? 0 : Math.min(QC_STEPS, (int) Math.ceil(m * QC_STEPS - 1e-6));
            covered += r.count().data()[i] > 0 ? 1 : 0;
            maxCount = Math.max(maxCount, (int) r.count().data()[i]);
            massSum += m;
        }
        Map<String, Color> legend = new LinkedHashMap<>();
        Map<Integer, Color> ramp = OverlayQcImage.ramp(QC_STEPS);
        for (int k = 1; k <= QC_STEPS; k++) {
            legend.put(String.format(Locale.ROOT, "mean %.1f-%.1f", (k - 1.0) / QC_STEPS, (double) k / QC_STEPS),
                    ramp.get(k));
        }
        AtlasQcImage.write(OverlayQcImage.render("mean overlay template: " + r.overlays() + " overlays",
                List.of(new OverlayQcImage.Panel("mean overlay over " + referenceFile.getFileName(), reference, 0, 80,
                        reference.withData(bins), ramp)), slices, legend), dir.resolve("aggregate_qc.png"));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tool", "deepstroke aggregate-overlays");
        json.put("version", Version.get());
        json.put("reference", referenceFile.toString());
        json.put("overlays", overlays.stream().map(Path::toString).toList());
        json.put("n_overlays", r.overlays());
        json.put("mean_definition", "voxelwise mean of the input overlays (binary: the fraction of subjects whose "
                + "outline passes through the voxel)");
        json.put("count_definition", "number of overlays with a value > 0 at the voxel");
        json.put("voxels_covered", covered);
        json.put("max_count", maxCount);
        json.put("mean_overlay_sum", Math.round(massSum * 1e4) / 1e4);
        json.put("qc_slices", slices);
        String text = Json.pretty(json);
        AtomicFiles.writeString(dir.resolve("aggregate.json"), text);
        out.print(text);
        return ExitCodes.OK;
    }
}
