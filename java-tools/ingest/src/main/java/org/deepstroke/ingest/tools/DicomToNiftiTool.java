package org.deepstroke.ingest.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.io.Json;
import org.deepstroke.ingest.convert.NiftiOutput;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.ingest.convert.ConvertedSeries;
import org.deepstroke.ingest.convert.HuConverter;
import org.deepstroke.ingest.convert.SeriesReader;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.rules.IngestRules;

/** {@code deepstroke dicom-to-nifti}: one series to a HU NIfTI (RAS, tilt and spacing handled) + JSON sidecar. */
public final class DicomToNiftiTool implements Tool {

    @Override
    public String name() {
        return "dicom-to-nifti";
    }

    @Override
    public String summary() {
        return "Convert one DICOM series to NIfTI in HU (int16 when whole, else float32) with a JSON sidecar";
    }

    @Override
    public Options options() {
        return SeriesInputs.addOptions(new Options())
                .addOption(Option.builder("o").longOpt("output").hasArg().argName("NIFTI").required()
                        .desc("output volume (.nii.gz or .nii)").build())
                .addOption(Option.builder().longOpt("sidecar").hasArg().argName("JSON")
                        .desc("sidecar path (default: the output's name with .json)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path output = Args.requiredPath(cmd, "output");
        Path sidecar = cmd.hasOption("sidecar") ? Path.of(cmd.getOptionValue("sidecar"))
                : SeriesInputs.sibling(output, ".json");
        SeriesInputs.guardInputs(cmd, OutputGuard.create()).niftiOutput("output", output).output("sidecar", sidecar)
                .check();
        IngestRules rules = IngestRules.load(Args.optionalPath(cmd, "rules"));
        List<Path> files = SeriesInputs.files(cmd);
        DicomSource dicom = DicomSource.pixelMed();
        SeriesReader.Series series = SeriesReader.read(files, dicom, rules.convert());
        ConvertedSeries converted = HuConverter.convert(series, dicom, rules.convert(), Version.get());
        for (String w : converted.warnings()) {
            System.err.println("dicom-to-nifti: warning: " + w);
        }
        NiftiOutput.write(converted.volume(), output, converted.datatype());
        AtomicFiles.writeString(sidecar, Json.pretty(converted.sidecar()));
        System.err.printf("dicom-to-nifti: %d slices -> %dx%dx%d %s%s%n", series.geometry().sliceCount(),
                converted.volume().nx(), converted.volume().ny(), converted.volume().nz(),
                converted.datatype().name().toLowerCase(),
                series.geometry().tilted() ? String.format(" (tilt %.2f deg corrected)", series.geometry().tiltDeg()) : "");
        return ExitCodes.OK;
    }
}
