package org.deepstroke.registration.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.overlay.AntsPointMapper;
import org.deepstroke.registration.overlay.OverlayPoints;
import org.deepstroke.registration.overlay.PointRaster;
import org.deepstroke.registration.register.AntsApply;

/**
 * {@code deepstroke overlay-to-atlas}: a legacy overlay (binary mask on the native CT grid) into atlas space by
 * mapping its points, not by resampling the sparse mask (see {@link OverlayPoints} for why). Outputs the atlas-grid
 * overlay (1 where at least one point landed), optionally the points per voxel, the point table and a JSON summary.
 */
public final class OverlayToAtlasTool implements Tool {

    @Override
    public String name() {
        return "overlay-to-atlas";
    }

    @Override
    public String summary() {
        return "Legacy overlay (native mask) into atlas space by mapping its points through the ANTs transforms";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("overlay").hasArg().argName("NIFTI").required()
                        .desc("overlay mask on the native CT grid (voxels > 0.5 are points)").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI").required()
                        .desc("atlas-space grid to rasterise onto (the CT template)").build())
                .addOption(Option.builder().longOpt("transform").hasArg().argName("T").required()
                        .desc("repeatable; the chain that resamples atlas images onto the native grid, in ANTs "
                                + "order, e.g. --transform [reg_0GenericAffine.mat,1] --transform "
                                + "reg_1InverseWarp.nii.gz (the same chain as back-project)").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("NIFTI").required()
                        .desc("overlay in atlas space (uint8: 1 where a point landed)").build())
                .addOption(Option.builder().longOpt("counts").hasArg().argName("NIFTI")
                        .desc("points per atlas voxel (uint16)").build())
                .addOption(Option.builder().longOpt("points").hasArg().argName("TSV")
                        .desc("native and atlas positions of every point").build())
                .addOption(Option.builder().longOpt("json").hasArg().argName("JSON")
                        .desc("summary: points in, mapped, outside the grid, voxels hit").build())
                .addOption(CommonOptions.threads("ITK threads (default 1)"))
                .addOption(Option.builder().longOpt("timeout-s").hasArg().argName("S")
                        .desc("limit for antsApplyTransformsToPoints (default 600)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path overlayFile = Args.existingFile(cmd, "overlay");
        Path referenceFile = Args.existingFile(cmd, "reference");
        List<String> transforms = List.of(cmd.getOptionValues("transform"));
        checkTransforms(transforms);
        Path output = Args.requiredPath(cmd, "output");
        OutputGuard.create().input("overlay", overlayFile).input("reference", referenceFile)
                .inputs("transform", AntsApply.transformFiles(transforms)).niftiOutput("output", output)
                .niftiOutput("counts", Args.optionalPath(cmd, "counts"))
                .output("points", Args.optionalPath(cmd, "points")).output("json", Args.optionalPath(cmd, "json"))
                .check();
        int threads = Args.intValue(cmd, "threads", 1);
        int timeout = Args.intValue(cmd, "timeout-s", 600);
        if (threads < 1 || timeout < 1) {
            throw new UsageError("--threads and --timeout-s must be at least 1");
        }
        ImageVolume overlay = NiftiReader.read(overlayFile);
        ImageVolume reference = NiftiReader.read(referenceFile);
        List<double[]> points = OverlayPoints.fromMask(overlay);
        if (points.isEmpty()) {
            throw new ToolFailure(overlayFile, "the overlay has no set voxel");
        }
        Path scratch = Files.createTempDirectory(output.toAbsolutePath().getParent(), ".overlay-to-atlas-");
        List<double[]> mapped;
        try {
            mapped = new AntsPointMapper(Ants.locate(), threads, 1).map(points, transforms, scratch,
                    Duration.ofSeconds(timeout));
        } finally {
            deleteTree(scratch);
        }
        PointRaster.Result raster = PointRaster.count(mapped, reference);
        NiftiWriter.write(raster.hits(), output, NiftiDatatype.UINT8);
        if (cmd.hasOption("counts")) {
            NiftiWriter.write(raster.counts(), Path.of(cmd.getOptionValue("counts")), NiftiDatatype.UINT16);
        }
        if (cmd.hasOption("points")) {
            OverlayPoints.write(Path.of(cmd.getOptionValue("points")), points, mapped);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tool", "deepstroke overlay-to-atlas");
        json.put("representation", "points: every set overlay voxel mapped as a point (antsApplyTransformsToPoints),"
                + " then counted into the nearest atlas voxel");
        json.put("overlay", overlayFile.toString());
        json.put("reference", referenceFile.toString());
        json.put("transforms", transforms);
        json.put("points", points.size());
        json.put("points_in_atlas_grid", raster.inside());
        json.put("points_outside_atlas_grid", raster.outside());
        json.put("atlas_voxels_hit", raster.hitVoxels());
        String text = Json.pretty(json);
        if (cmd.hasOption("json")) {
            AtomicFiles.writeString(Path.of(cmd.getOptionValue("json")), text);
        }
        out.print(text);
        return ExitCodes.OK;
    }

    /** Each transform a file that exists, optionally as {@code [file,1]}. */
    static void checkTransforms(List<String> transforms) {
        for (String t : transforms) {
            String path = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1).split(",")[0] : t;
            if (!Files.isRegularFile(Path.of(path))) {
                throw new ToolFailure(Path.of(path), "no such transform file");
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
