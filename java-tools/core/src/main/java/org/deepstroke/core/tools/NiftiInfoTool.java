package org.deepstroke.core.tools;

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
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiHeader;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.io.Json;

/** {@code deepstroke nifti-info}: a NIfTI volume's grid, affine, datatype and value statistics as JSON. */
public final class NiftiInfoTool implements Tool {

    @Override
    public String name() {
        return "nifti-info";
    }

    @Override
    public String summary() {
        return "Describe a NIfTI volume (grid, RAS affine, datatype, value range, non-zero voxels) as JSON";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("i").longOpt("input").hasArg().argName("NIFTI").required()
                        .desc("NIfTI-1 file (.nii or .nii.gz)").build())
                .addOption(Option.builder("o").longOpt("output").hasArg().argName("JSON")
                        .desc("write the JSON here instead of standard output").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path input = Args.existingFile(cmd, "input");
        OutputGuard.create().input("input", input)
                .output("output", Args.optionalPath(cmd, "output")).check();
        NiftiHeader header = NiftiReader.readHeader(input);
        ImageVolume volume = NiftiReader.read(input);
        String json = Json.pretty(describe(input, header, volume));
        if (cmd.hasOption("output")) {
            AtomicFiles.writeString(Path.of(cmd.getOptionValue("output")), json);
        } else {
            out.print(json);
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> describe(Path input, NiftiHeader header, ImageVolume volume) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long nonZero = 0;
        for (float v : volume.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            if (v != 0) {
                nonZero++;
            }
        }
        NiftiDatatype type = NiftiDatatype.fromCode(header.datatypeCode());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("file", input.getFileName().toString());
        info.put("dims", volume.dims());
        info.put("spacing_mm", round(volume.spacing()));
        info.put("datatype", type == null ? String.valueOf(header.datatypeCode()) : type.name().toLowerCase());
        info.put("scl_slope", header.sclSlope());
        info.put("scl_inter", header.sclInter());
        info.put("qform_code", header.qformCode());
        info.put("sform_code", header.sformCode());
        info.put("affine_ras", withoutNegativeZero(volume.voxelToWorld().rows()));
        info.put("min", min);
        info.put("max", max);
        info.put("mean", sum / volume.size());
        info.put("nonzero_voxels", nonZero);
        return info;
    }

    private static double[][] withoutNegativeZero(double[][] rows) {
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] += 0.0; // -0.0 + 0.0 == +0.0: keeps "-0.0" out of the JSON
            }
        }
        return rows;
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 1e6) / 1e6;
        }
        return r;
    }
}
