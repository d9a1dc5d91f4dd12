package org.deepstroke.registration.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.register.AntsApply;

/** {@code deepstroke apply-transforms}: one image onto a reference grid through ANTs transforms. */
public final class ApplyTransformsTool implements Tool {

    @Override
    public String name() {
        return "apply-transforms";
    }

    @Override
    public String summary() {
        return "An image onto a reference grid through ANTs transforms (antsApplyTransforms; linear, nearest, label)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("input").hasArg().argName("NIFTI").required()
                        .desc("image to map").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI").required()
                        .desc("image whose grid the output takes").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("NIFTI").required()
                        .desc("output image (.nii or .nii.gz)").build())
                .addOption(Option.builder().longOpt("interpolation").hasArg().argName("KIND")
                        .desc("linear (images, default), nearest, label (ANTs GenericLabel: label maps, uint8)")
                        .build())
                .addOption(Option.builder().longOpt("transform").hasArgs().argName("T").required()
                        .desc("a transform passed to antsApplyTransforms -t verbatim (a path, or [path,1] for an "
                                + "affine's inverse); repeat in ANTs order: the last one is applied first to the "
                                + "reference's points").build())
                .addOption(Option.builder().longOpt("output-type").hasArg().argName("TYPE")
                        .desc("voxel type: char, uchar, short, int, float, double (default: uchar for label, "
                                + "float otherwise)").build())
                .addOption(CommonOptions.threads("ITK threads (default 1)"));
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path input = Args.existingFile(cmd, "input");
        Path reference = Args.existingFile(cmd, "reference");
        Path output = Args.requiredPath(cmd, "output");
        AntsApply.Interpolation interpolation = AntsApply.Interpolation.parse(
                cmd.getOptionValue("interpolation", "linear"));
        List<String> transforms = Arrays.asList(cmd.getOptionValues("transform"));
        OutputGuard.create().input("input", input).input("reference", reference)
                .inputs("transform", AntsApply.transformFiles(transforms)).niftiOutput("output", output).check();
        String type = cmd.getOptionValue("output-type",
                interpolation == AntsApply.Interpolation.LABEL ? "uchar" : "float");
        if (!List.of("char", "uchar", "short", "int", "float", "double").contains(type)) {
            throw new UsageError("--output-type must be char, uchar, short, int, float or double, not '" + type + "'");
        }
        new AntsApply(Ants.locate(), Args.intValue(cmd, "threads", 1)).apply(input, reference, output, interpolation,
                transforms, type);
        return ExitCodes.OK;
    }
}
