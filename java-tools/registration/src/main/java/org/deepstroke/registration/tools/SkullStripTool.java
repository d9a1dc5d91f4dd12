package org.deepstroke.registration.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.image.ops.SkullStripper;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;

/** {@code deepstroke skull-strip}: brain mask and skull-stripped CT by HU-window morphology. */
public final class SkullStripTool implements Tool {

    @Override
    public String name() {
        return "skull-strip";
    }

    @Override
    public String summary() {
        return "Brain extraction on NCCT (HU window, erosion, largest component, hole filling): mask + stripped CT";
    }

    @Override
    public Options options() {
        SkullStripper.Parameters d = SkullStripper.Parameters.defaults();
        return new Options()
                .addOption(Option.builder("i").longOpt("input").hasArg().argName("NIFTI").required()
                        .desc("CT volume in HU").build())
                .addOption(Option.builder().longOpt("mask").hasArg().argName("NIFTI").required()
                        .desc("output brain mask (uint8 0/1)").build())
                .addOption(Option.builder().longOpt("stripped").hasArg().argName("NIFTI")
                        .desc("output CT with everything outside the brain set to --background").build())
                .addOption(Option.builder().longOpt("stats").hasArg().argName("JSON")
                        .desc("output brain volume and HU statistics").build())
                .addOption(Option.builder().longOpt("hu-min").hasArg().argName("HU")
                        .desc("lower end of the brain window (default " + d.huMin() + ")").build())
                .addOption(Option.builder().longOpt("hu-max").hasArg().argName("HU")
                        .desc("upper end of the brain window (default " + d.huMax() + ")").build())
                .addOption(Option.builder().longOpt("erode-mm").hasArg().argName("MM")
                        .desc("erosion radius that separates brain from scalp (default " + d.erodeMm() + ")").build())
                .addOption(Option.builder().longOpt("background").hasArg().argName("HU")
                        .desc("value outside the brain in --stripped (default 0, as the skull-stripped CT "
                                + "templates)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path input = Args.existingFile(cmd, "input");
        OutputGuard.create().input("input", input).niftiOutput("mask", Args.requiredPath(cmd, "mask"))
                .niftiOutput("stripped", Args.optionalPath(cmd, "stripped"))
                .output("stats", Args.optionalPath(cmd, "stats")).check();
        SkullStripper.Parameters d = SkullStripper.Parameters.defaults();
        SkullStripper.Parameters p = new SkullStripper.Parameters(Args.doubleValue(cmd, "hu-min", d.huMin()),
                Args.doubleValue(cmd, "hu-max", d.huMax()), Args.doubleValue(cmd, "erode-mm", d.erodeMm()));
        if (p.huMin() >= p.huMax() || p.erodeMm() < 0) {
            throw new UsageError("need --hu-min < --hu-max and --erode-mm >= 0");
        }
        float background = (float) Args.doubleValue(cmd, "background", 0);
        ImageVolume ct = NiftiReader.read(input);
        long start = System.nanoTime();
        boolean[] mask = new SkullStripper(p).brainMask(ct);
        double seconds = (System.nanoTime() - start) / 1e9;
        long voxels = 0;
        double sum = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                voxels++;
                sum += ct.data()[i];
            }
        }
        if (voxels == 0) {
            throw new ToolFailure(input, "no brain found in the HU window " + p.huMin() + ".." + p.huMax()
                    + " (is the image in HU?)");
        }
        float[] maskData = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            maskData[i] = mask[i] ? 1 : 0;
        }
        NiftiWriter.write(ct.withData(maskData), Args.requiredPath(cmd, "mask"), NiftiDatatype.UINT8);
        if (cmd.hasOption("stripped")) {
            NiftiWriter.write(SkullStripper.apply(ct, mask, background), Path.of(cmd.getOptionValue("stripped")),
                    NiftiDatatype.FLOAT32);
        }
        double[] s = ct.spacing();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("brain_voxels", voxels);
        stats.put("brain_volume_ml", voxels * s[0] * s[1] * s[2] / 1000.0);
        stats.put("brain_mean_hu", sum / voxels);
        stats.put("parameters", p);
        stats.put("seconds", Math.round(seconds * 100) / 100.0);
        if (cmd.hasOption("stats")) {
            AtomicFiles.writeString(Path.of(cmd.getOptionValue("stats")),
                    Json.pretty(stats));
        }
        return ExitCodes.OK;
    }
}
