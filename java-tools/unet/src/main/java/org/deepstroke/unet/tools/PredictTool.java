package org.deepstroke.unet.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.unet.predict.Segmenter;
import org.deepstroke.unet.train.ModelArchive;

/** {@code deepstroke predict}: ASPECTS region labels of a native CT with a trained U-Net, on the CT's grid. */
public final class PredictTool implements Tool {

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "Segment the ASPECTS regions of a native CT with a trained U-Net (labels on the CT's grid)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("model").hasArg().argName("ZIP").required()
                        .desc("model.zip from deepstroke train").build())
                .addOption(Option.builder().longOpt("ct").hasArg().argName("NIFTI").required()
                        .desc("native CT in HU").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("NIFTI").required()
                        .desc("label map (uint8; ids 0..20, or 0..10 for 11-class models) on the CT's grid").build())
                .addOption(Option.builder().longOpt("lesion-output").hasArg().argName("NIFTI")
                        .desc("lesion map (uint8 0/1, p >= 0.5) on the CT's grid; needs a model trained with "
                                + "--lesion-head").build())
                .addOption(Option.builder().longOpt("brain-mask").hasArg().argName("NIFTI")
                        .desc("brain mask on the CT's grid (default: computed as skull-strip does)").build())
                .addOption(Option.builder().longOpt("timing").hasArg().argName("JSON")
                        .desc("write the inference times here").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path model = Args.existingFile(cmd, "model");
        Path ct = Args.existingFile(cmd, "ct");
        Path mask = cmd.hasOption("brain-mask") ? Args.existingFile(cmd, "brain-mask") : null;
        Path output = Args.requiredPath(cmd, "output");
        Path lesionOutput = Args.optionalPath(cmd, "lesion-output");
        OutputGuard.create().input("model", model).input("ct", ct).input("brain-mask", mask)
                .niftiOutput("output", output).niftiOutput("lesion-output", lesionOutput)
                .output("timing", Args.optionalPath(cmd, "timing")).check();
        // checked on the archive's config alone, before ND4J loads the graph (and logs)
        if (lesionOutput != null && !ModelArchive.config(model).lesionHead()) {
            throw new UsageError("--lesion-output needs a model trained with --lesion-head; " + model + " has none");
        }
        Segmenter segmenter = new Segmenter(model);
        Segmenter.Result r = segmenter.segment(ct, mask);
        NiftiWriter.write(r.labels(), output, NiftiDatatype.UINT8);
        if (lesionOutput != null) {
            NiftiWriter.write(r.lesion(), lesionOutput, NiftiDatatype.UINT8);
        }
        String line = String.format(Locale.ROOT, "inference: network %.2f s, total %.2f s (%d^3 grid, %d classes)",
                r.networkSeconds(), r.totalSeconds(), segmenter.config().volumeSize(), segmenter.config().classes());
        System.err.println(line);
        out.println(line);
        if (cmd.hasOption("timing")) {
            AtomicFiles.writeString(Path.of(cmd.getOptionValue("timing")), String.format(Locale.ROOT,
                    "{\"network_seconds\": %.3f, \"total_seconds\": %.3f, \"volume_size\": %d, \"classes\": %d}%n",
                    r.networkSeconds(), r.totalSeconds(), segmenter.config().volumeSize(),
                    segmenter.config().classes()));
        }
        return ExitCodes.OK;
    }
}
