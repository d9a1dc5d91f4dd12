package org.deepstroke.core.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
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
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiHeader;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.io.OutputGuard;

/**
 * {@code deepstroke nifti-convert}: rewrites a NIfTI volume (.nii/.nii.gz, another datatype), with consistent
 * sform/qform and values range-checked rather than clipped; with {@code --reference}, a label map or mask moved onto
 * another grid by nearest neighbour through world coordinates (e.g. phantom truth on a gantry-tilted acquisition grid
 * onto the tilt-corrected CT; ANTs refuses such sheared grids: "ITK only supports orthonormal direction cosines").
 */
public final class NiftiConvertTool implements Tool {

    /** Grids closer than this (voxel centres, mm) count as the same: the input is written unchanged. */
    private static final double GRID_TOLERANCE_MM = 1e-3;

    @Override
    public String name() {
        return "nifti-convert";
    }

    @Override
    public String summary() {
        return "Rewrite a NIfTI volume: compression by file name (.nii/.nii.gz), datatype, consistent sform/qform";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("i").longOpt("input").hasArg().argName("NIFTI").required()
                        .desc("input NIfTI-1 file").build())
                .addOption(Option.builder("o").longOpt("output").hasArg().argName("NIFTI").required()
                        .desc("output file; .gz compresses").build())
                .addOption(Option.builder("t").longOpt("datatype").hasArg().argName("TYPE")
                        .desc("uint8, int8, int16, uint16, int32, uint32, int64, float32 or float64 "
                                + "(default: the input's)").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI")
                        .desc("write the input on this volume's grid: nearest neighbour through world coordinates, "
                                + "0 outside (for label maps and masks; values are never blended)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path input = Args.existingFile(cmd, "input");
        Path output = Args.requiredPath(cmd, "output");
        Path reference = cmd.hasOption("reference") ? Args.existingFile(cmd, "reference") : null;
        OutputGuard guard = OutputGuard.create().input("input", input);
        if (reference != null) {
            guard.input("reference", reference);
        }
        guard.niftiOutput("output", output).check();
        NiftiDatatype requested = null;
        if (cmd.hasOption("datatype")) {
            try {
                requested = NiftiDatatype.parse(cmd.getOptionValue("datatype"));
            } catch (IllegalArgumentException e) {
                throw new UsageError("unknown datatype '" + cmd.getOptionValue("datatype") + "'");
            }
        }
        NiftiHeader header = NiftiReader.readHeader(input);
        NiftiDatatype type = requested != null ? requested : NiftiDatatype.fromCode(header.datatypeCode());
        ImageVolume volume = NiftiReader.read(input);
        if (reference != null) {
            volume = Interpolation.nearestOnto(volume, NiftiReader.read(reference), GRID_TOLERANCE_MM);
        }
        boolean scaled = header.sclSlope() != 0 && !(header.sclSlope() == 1 && header.sclInter() == 0);
        try {
            if (scaled && !cmd.hasOption("datatype")) {
                // Keep the input's storage: same type and scaling, so values round-trip.
                NiftiWriter.write(volume, output, type, header.sclSlope(), header.sclInter());
            } else {
                NiftiWriter.write(volume, output, type);
            }
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(input, "cannot store as " + type.name().toLowerCase() + ": " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
