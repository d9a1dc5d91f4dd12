package org.deepstroke.phantom.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.phantom.Realism;

/**
 * {@code deepstroke realism}: the realism table of issue 14 (CSF share below 15 HU, parenchyma HU percentiles, local
 * noise SD, lentiform minus internal capsule; definitions in {@link Realism}) for a phantom cohort (its
 * truth/realism.tsv, written by {@code deepstroke phantom}) and for real scans given with {@code --reference}, next
 * to the real GE column of the issue and the goal (x1.5).
 */
public final class RealismTool implements Tool {

    @Override
    public String name() {
        return "realism";
    }

    @Override
    public String summary() {
        return "Print the CT realism table (issue 14) for a phantom cohort and/or real scans";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("cohort").hasArg().argName("DIR")
                        .desc("a phantom cohort's truth folder (or the --output-dir holding truth/)").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI")
                        .desc("a real axial CT in HU (e.g. INGEST's NIfTI); repeatable with its own --brain-mask")
                        .build())
                .addOption(Option.builder().longOpt("brain-mask").hasArg().argName("NIFTI")
                        .desc("the reference's brain mask (e.g. `deepstroke skullstrip`'s), same grid or any grid "
                                + "in the same space (nearest neighbour)").build())
                .addOption(Option.builder().longOpt("labels").hasArg().argName("NIFTI")
                        .desc("optional ASPECTS label map of the reference (the pipeline's native labels): gives "
                                + "the lentiform minus internal capsule row").build())
                .addOption(Option.builder().longOpt("name").hasArg().argName("TEXT")
                        .desc("column name of the reference (default: its file name)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws IOException {
        if (!cmd.hasOption("cohort") && !cmd.hasOption("reference")) {
            throw new UsageError("give --cohort DIR and/or --reference CT --brain-mask MASK");
        }
        List<Realism.Row> cohort = new ArrayList<>();
        if (cmd.hasOption("cohort")) {
            Path dir = Args.requiredPath(cmd, "cohort");
            Path tsv = Files.isRegularFile(dir.resolve("realism.tsv")) ? dir.resolve("realism.tsv")
                    : dir.resolve("truth").resolve("realism.tsv");
            if (!Files.isRegularFile(tsv)) {
                throw new ToolFailure(dir, "no realism.tsv (a phantom cohort's truth folder holds one)");
            }
            List<String> lines = Files.readAllLines(tsv);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f.length < 8) {
                    throw new ToolFailure(tsv, "not a realism table (8 columns expected): " + line);
                }
                cohort.add(new Realism.Row(f[0], num(f[1]) / 100, num(f[2]), num(f[3]), num(f[4]), num(f[5]),
                        num(f[6]), Long.parseLong(f[7])));
            }
        }
        List<Realism.Row> refs = new ArrayList<>();
        if (cmd.hasOption("reference")) {
            Path ct = Args.existingFile(cmd, "reference");
            if (!cmd.hasOption("brain-mask")) {
                throw new UsageError("--reference needs --brain-mask (e.g. from deepstroke skullstrip)");
            }
            ImageVolume image = NiftiReader.read(ct);
            byte[] brain = bytes(Interpolation.nearestOnto(NiftiReader.read(Args.existingFile(cmd, "brain-mask")),
                    image, 1e-3));
            byte[] labels = cmd.hasOption("labels")
                    ? bytes(Interpolation.nearestOnto(NiftiReader.read(Args.existingFile(cmd, "labels")), image, 1e-3))
                    : null;
            // NIfTI conversions run inferior -> superior when the z axis points up (the usual RAS/LPS sform)
            boolean up = image.voxelToWorld().get(2, 2) > 0;
            float[] hu = image.data();
            if (!up) {
                hu = flipZ(hu, image);
                brain = flipZ(brain, image);
                labels = labels == null ? null : flipZ(labels, image);
            }
            refs.add(Realism.measure(cmd.getOptionValue("name", ct.getFileName().toString()), hu, brain, labels,
                    image.nx(), image.ny(), image.nz()));
            out.println(Realism.HEADER);
            out.println(refs.get(0).tsv());
        }
        out.print(Realism.table(cohort, refs));
        return ExitCodes.OK;
    }

    private static double num(String s) {
        return s.equals("-") ? Double.NaN : Double.parseDouble(s);
    }

    private static byte[] bytes(ImageVolume v) {
        float[] d = v.data();
        byte[] b = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            b[i] = (byte) Math.max(0, Math.min(127, Math.round(d[i])));
        }
        return b;
    }

    private static float[] flipZ(float[] v, ImageVolume g) {
        float[] o = new float[v.length];
        int plane = g.nx() * g.ny();
        for (int k = 0; k < g.nz(); k++) {
            System.arraycopy(v, k * plane, o, (g.nz() - 1 - k) * plane, plane);
        }
        return o;
    }

    private static byte[] flipZ(byte[] v, ImageVolume g) {
        byte[] o = new byte[v.length];
        int plane = g.nx() * g.ny();
        for (int k = 0; k < g.nz(); k++) {
            System.arraycopy(v, k * plane, o, (g.nz() - 1 - k) * plane, plane);
        }
        return o;
    }
}
