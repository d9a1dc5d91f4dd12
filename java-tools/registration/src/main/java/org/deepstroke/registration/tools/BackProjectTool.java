package org.deepstroke.registration.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.atlas.AtlasQcImage;
import org.deepstroke.registration.register.AntsApply;

/**
 * {@code deepstroke back-project}: the atlas label map onto a native CT grid through the inverse registration
 * (GenericLabel interpolation), optionally restricted to the native brain mask, as uint8 ids 0..20.
 */
public final class BackProjectTool implements Tool {

    static final int MAX_ID = 20;

    @Override
    public String name() {
        return "back-project";
    }

    @Override
    public String summary() {
        return "Atlas labels -> native CT grid through the inverse transforms (GenericLabel), inside the brain mask";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("labels").hasArg().argName("NIFTI").required()
                        .desc("label map in atlas space (ids 0..20)").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI").required()
                        .desc("native CT: the output's grid").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("NIFTI").required()
                        .desc("labels on the native grid (uint8)").build())
                .addOption(Option.builder().longOpt("transform").hasArgs().argName("T").required()
                        .desc("transforms in ANTs order, passed verbatim (native -> atlas inverse mapping: "
                                + "[<prefix>0GenericAffine.mat,1] then <prefix>1InverseWarp.nii.gz)").build())
                .addOption(Option.builder().longOpt("mask").hasArg().argName("NIFTI")
                        .desc("native brain mask (same grid as --reference): labels outside are set to 0").build())
                .addOption(Option.builder().longOpt("stats").hasArg().argName("JSON")
                        .desc("voxels and ml per label, voxels removed by the mask").build())
                .addOption(Option.builder().longOpt("qc-png").hasArg().argName("PNG")
                        .desc("picture of the labels over the native CT").build())
                .addOption(CommonOptions.threads("ITK threads (default 1)"));
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path labels = Args.existingFile(cmd, "labels");
        Path reference = Args.existingFile(cmd, "reference");
        Path output = Args.requiredPath(cmd, "output");
        Path mask = cmd.hasOption("mask") ? Args.existingFile(cmd, "mask") : null;
        List<String> transforms = Arrays.asList(cmd.getOptionValues("transform"));
        OutputGuard.create().input("labels", labels).input("reference", reference).input("mask", mask)
                .inputs("transform", AntsApply.transformFiles(transforms)).niftiOutput("output", output)
                .output("stats", Args.optionalPath(cmd, "stats")).output("qc-png", Args.optionalPath(cmd, "qc-png"))
                .check();
        ImageVolume atlas = NiftiReader.read(labels);
        for (float v : atlas.data()) {
            if (v < 0 || v > MAX_ID || v != Math.rint(v)) {
                throw new ToolFailure(labels, "not an ASPECTS label map: value " + v + " outside the ids 0.." + MAX_ID);
            }
        }
        new AntsApply(Ants.locate(), Args.intValue(cmd, "threads", 1)).apply(labels, reference, output,
                AntsApply.Interpolation.LABEL, transforms, "uchar");
        ImageVolume native_ = NiftiReader.read(output);
        long removed = 0;
        if (mask != null) {
            ImageVolume m = NiftiReader.read(mask);
            if (!m.sameGrid(native_, 1e-3)) {
                throw new ToolFailure(mask, "brain mask not on the grid of " + reference);
            }
            float[] d = native_.data().clone();
            for (int i = 0; i < d.length; i++) {
                if (m.data()[i] <= 0 && d[i] != 0) {
                    d[i] = 0;
                    removed++;
                }
            }
            native_ = native_.withData(d);
            NiftiWriter.write(native_, output, NiftiDatatype.UINT8);
        }
        if (cmd.hasOption("stats")) {
            Map<Integer, Long> counts = new TreeMap<>();
            for (float v : native_.data()) {
                if (v != 0) {
                    counts.merge(Math.round(v), 1L, Long::sum);
                }
            }
            double[] s = native_.spacing();
            Map<String, Object> perLabel = new LinkedHashMap<>();
            counts.forEach((id, n) -> perLabel.put(Integer.toString(id), Map.of("voxels", n,
                    "ml", Math.round(n * s[0] * s[1] * s[2] / 10.0) / 100.0)));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("labels_present", counts.size());
            json.put("voxels_removed_by_mask", removed);
            json.put("per_label", perLabel);
            AtomicFiles.writeString(Path.of(cmd.getOptionValue("stats")),
                    Json.pretty(json));
        }
        if (cmd.hasOption("qc-png")) {
            Path png = Path.of(cmd.getOptionValue("qc-png"));
            AtlasQcImage.write(AtlasQcImage.render(NiftiReader.read(reference), native_,
                    "atlas labels on " + reference.getFileName()), png);
        }
        if (!Files.isRegularFile(output)) {
            throw new ToolFailure(output, "not written");
        }
        return ExitCodes.OK;
    }
}
