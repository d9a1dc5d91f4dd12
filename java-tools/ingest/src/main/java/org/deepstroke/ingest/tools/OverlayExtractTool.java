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
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.Json;
import org.deepstroke.ingest.convert.NiftiOutput;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.ingest.convert.SeriesReader;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.overlay.OverlayExtractor;
import org.deepstroke.ingest.rules.IngestRules;

/** {@code deepstroke overlay-extract}: a series' 60xx overlays to one binary mask on the CT's grid + per-slice counts. */
public final class OverlayExtractTool implements Tool {

    @Override
    public String name() {
        return "overlay-extract";
    }

    @Override
    public String summary() {
        return "Extract every DICOM overlay plane (60xx) of a series into one binary NIfTI mask on the CT's grid";
    }

    @Override
    public Options options() {
        return SeriesInputs.addOptions(new Options())
                .addOption(Option.builder("o").longOpt("output").hasArg().argName("NIFTI").required()
                        .desc("binary mask (uint8 0/1), .nii.gz or .nii").build())
                .addOption(Option.builder().longOpt("counts").hasArg().argName("TSV")
                        .desc("per-slice set-voxel counts (default: output name with _counts.tsv)").build())
                .addOption(Option.builder().longOpt("report").hasArg().argName("JSON")
                        .desc("what was used and skipped (default: output name with _overlay.json)").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI")
                        .desc("put the mask on this volume's grid (e.g. the CT converted from another series "
                                + "of the same study); default: the series' own grid, as dicom-to-nifti makes it")
                        .build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path output = Args.requiredPath(cmd, "output");
        Path counts = cmd.hasOption("counts") ? Path.of(cmd.getOptionValue("counts"))
                : SeriesInputs.sibling(output, "_counts.tsv");
        Path reportFile = cmd.hasOption("report") ? Path.of(cmd.getOptionValue("report"))
                : SeriesInputs.sibling(output, "_overlay.json");
        SeriesInputs.guardInputs(cmd, OutputGuard.create())
                .input("reference", Args.optionalPath(cmd, "reference"))
                .niftiOutput("output", output).output("counts", counts).output("report", reportFile).check();
        IngestRules rules = IngestRules.load(Args.optionalPath(cmd, "rules"));
        List<Path> files = SeriesInputs.files(cmd);
        DicomSource dicom = DicomSource.pixelMed();
        SeriesReader.Series series = SeriesReader.read(files, dicom, rules.convert());
        OverlayExtractor.Result result = cmd.hasOption("reference")
                ? OverlayExtractor.extractOnto(series, dicom, NiftiReader.read(Args.existingFile(cmd, "reference")))
                : OverlayExtractor.extract(series, dicom);
        for (String w : result.warnings()) {
            System.err.println("overlay-extract: warning: " + w);
        }
        NiftiOutput.write(result.mask(), output, NiftiDatatype.UINT8);
        StringBuilder tsv = new StringBuilder("slice\tvoxels\n");
        for (int m = 0; m < result.perSlice().length; m++) {
            tsv.append(m).append('\t').append(result.perSlice()[m]).append('\n');
        }
        AtomicFiles.writeString(counts, tsv.toString());
        AtomicFiles.writeString(reportFile, Json.pretty(result.report()));
        System.err.println("overlay-extract: " + result.report().get("mask_voxels") + " mask voxels from "
                + result.report().get("overlay_planes_used") + " overlay planes");
        return ExitCodes.OK;
    }
}
