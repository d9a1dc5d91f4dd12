package org.deepstroke.curation.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.aspects.LabelsTsv;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Progress;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.io.TsvTable;
import org.deepstroke.curation.DatasetLayout.Variant;
import org.deepstroke.curation.DatasetLayout;
import org.deepstroke.curation.FileHashes;
import org.deepstroke.curation.PatientSplit.Split;
import org.deepstroke.curation.PatientSplit;
import org.deepstroke.curation.SubjectCurator;
import org.deepstroke.curation.SubjectTable;

/**
 * {@code deepstroke curate-dataset}: the seed's training dataset (raw, skull-stripped and atlas-registered CT with
 * their ASPECTS segmentations) in the layout of {@link DatasetLayout}, with a seeded patient-level split, a
 * manifest carrying each file's SHA-256 and dataset.json. The manifest is written last, so a dataset with a manifest is complete.
 */
public final class CurateDatasetTool implements Tool {

    static final double DEFAULT_TEST_FRACTION = 0.1;
    static final double DEFAULT_VALIDATION_FRACTION = 0.2;
    static final long DEFAULT_SEED = 1;

    @Override
    public String name() {
        return "curate-dataset";
    }

    @Override
    public String summary() {
        return "Training dataset (raw/stripped/registered volumes + segmentations), patient-level split, sha256 manifest";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("subjects").hasArg().argName("TSV").required()
                        .desc("columns " + String.join(", ", SubjectTable.COLUMNS)
                                + " (paths absolute or relative to the table)").build())
                .addOption(CommonOptions.outputDir("dataset folder"))
                .addOption(Option.builder().longOpt("test-fraction").hasArg().argName("F")
                        .desc("share of subjects in test (default " + DEFAULT_TEST_FRACTION + ")").build())
                .addOption(Option.builder().longOpt("validation-fraction").hasArg().argName("F")
                        .desc("share of subjects in validation (default " + DEFAULT_VALIDATION_FRACTION + ")").build())
                .addOption(CommonOptions.seed("split seed (default " + DEFAULT_SEED + ")"))
                .addOption(Option.builder().longOpt("truth").hasArg().argName("DIR")
                        .desc("synthetic truth folder (phantom layout): <DIR>/<subject>/lesion_mask.nii.gz becomes "
                                + "the subject's lesion mask on the CT's grid (raw and stripped rows, column lesion)")
                        .build())
                .addOption(Option.builder().longOpt("labels-tsv").hasArg().argName("TSV")
                        .desc("the atlas labels.tsv to copy (default: the platform's fixed table)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path table = Args.existingFile(cmd, "subjects");
        Path root = Args.requiredPath(cmd, "output-dir");
        OutputGuard.create().input("subjects", table).input("labels-tsv", Args.optionalPath(cmd, "labels-tsv"))
                .inputFolder("truth", Args.optionalPath(cmd, "truth")).outputFolder("output-dir", root)
                .output("output-dir", root.resolve(DatasetLayout.LABELS))
                .output("output-dir", root.resolve(DatasetLayout.MANIFEST))
                .output("output-dir", root.resolve(DatasetLayout.DATASET_JSON)).check();
        double testFraction = Args.doubleValue(cmd, "test-fraction", DEFAULT_TEST_FRACTION);
        double validationFraction = Args.doubleValue(cmd, "validation-fraction", DEFAULT_VALIDATION_FRACTION);
        long seed = Args.intValue(cmd, "seed", (int) DEFAULT_SEED);
        try {
            PatientSplit.checkFractions(testFraction, validationFraction);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        String labels = labelTable(cmd);
        List<SubjectTable.Subject> subjects = SubjectTable.read(table);
        Map<String, Split> split = PatientSplit.assign(subjects.stream().map(SubjectTable.Subject::id).toList(),
                testFraction, validationFraction, seed);

        Path truth = cmd.hasOption("truth") ? Args.requiredPath(cmd, "truth") : null;
        if (truth != null && !Files.isDirectory(truth)) {
            throw new ToolFailure(truth, "no such directory (--truth)");
        }
        SubjectCurator curator = new SubjectCurator(root, truth);
        java.util.Set<String> withLesion = new java.util.HashSet<>();
        try (Progress progress = new Progress("curate-dataset", subjects.size())) {
            for (SubjectTable.Subject s : subjects) {
                if (curator.write(s)) {
                    withLesion.add(s.id());
                }
                progress.advance(1);
            }
        }
        AtomicFiles.writeString(root.resolve(DatasetLayout.LABELS), labels);
        String manifest = manifest(root, subjects, split, withLesion);
        AtomicFiles.writeString(root.resolve(DatasetLayout.MANIFEST), manifest);
        Map<String, Object> json = summary(root, seed, testFraction, validationFraction, split, withLesion);
        String text = Json.pretty(json);
        AtomicFiles.writeString(root.resolve(DatasetLayout.DATASET_JSON), text);
        out.print(text);
        return ExitCodes.OK;
    }

    private static String labelTable(CommandLine cmd) throws IOException {
        if (!cmd.hasOption("labels-tsv")) {
            return LabelsTsv.content();
        }
        Path file = Args.existingFile(cmd, "labels-tsv");
        LabelsTsv.read(file); // every region once, or a failure naming the file
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /**
     * Rows sorted by subject (so the manifest, and its hash, do not depend on the table's row order), then raw,
     * stripped, registered; hashes of the files as written.
     */
    static String manifest(Path root, List<SubjectTable.Subject> subjects, Map<String, Split> split,
            java.util.Set<String> withLesion) throws IOException {
        StringBuilder sb = new StringBuilder(String.join("\t", DatasetLayout.MANIFEST_COLUMNS)).append('\n');
        List<SubjectTable.Subject> sorted = new ArrayList<>(subjects);
        sorted.sort(java.util.Comparator.comparing(SubjectTable.Subject::id));
        for (SubjectTable.Subject s : sorted) {
            for (Variant v : Variant.values()) {
                String volume = v.volume(s.id());
                String segmentation = v.segmentation(s.id());
                // the lesion mask lies on the native grid: raw and stripped rows only (SubjectCurator)
                String lesion = withLesion.contains(s.id()) && v != Variant.REGISTERED ? DatasetLayout.lesion(s.id())
                        : "";
                sb.append(String.join("\t", s.id(), split.get(s.id()).label(), v.label(), volume, segmentation,
                        FileHashes.sha256(root.resolve(volume)), FileHashes.sha256(root.resolve(segmentation)),
                        lesion, lesion.isEmpty() ? "" : FileHashes.sha256(root.resolve(lesion)))).append('\n');
            }
        }
        return sb.toString();
    }

    private static Map<String, Object> summary(Path root, long seed, double testFraction, double validationFraction,
            Map<String, Split> split, java.util.Set<String> withLesion) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tool", "deepstroke curate-dataset");
        json.put("version", Version.get());
        json.put("seed", seed);
        json.put("test_fraction", testFraction);
        json.put("validation_fraction", validationFraction);
        json.put("split_rule", "subjects ordered by sha256(seed:subject); first round(test_fraction*N) test, next "
                + "round(validation_fraction*N) validation, rest train; with N >= 3 a split with a fraction > 0 "
                + "keeps at least one subject and train keeps at least one; with N < 3 all train");
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            counts.put(s.label(), 0);
            members.put(s.label(), new ArrayList<>());
        }
        split.forEach((subject, s) -> {
            counts.merge(s.label(), 1, Integer::sum);
            members.get(s.label()).add(subject);
        });
        members.values().forEach(list -> list.sort(null));
        json.put("counts", counts);
        json.put("subjects", members);
        json.put("manifest", DatasetLayout.MANIFEST);
        json.put("manifest_sha256", FileHashes.sha256(root.resolve(DatasetLayout.MANIFEST)));
        json.put("labels", labelRows(root.resolve(DatasetLayout.LABELS)));
        json.put("lesion_subjects", withLesion.stream().sorted().toList());
        return json;
    }

    /** The dataset's labels.tsv (written and checked before) as rows of column to value, for dataset.json. */
    private static List<Map<String, String>> labelRows(Path labels) {
        List<Map<String, String>> rows = new ArrayList<>();
        TsvTable.Table table = TsvTable.read(labels, "label");
        for (TsvTable.Row r : table.rows()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < table.header().size(); i++) {
                row.put(table.header().get(i), r.cells().get(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
