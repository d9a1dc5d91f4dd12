package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deepstroke.core.html.Html;
import org.deepstroke.core.html.HtmlTemplate;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;

/**
 * Writes the run report: summary.html (summary.mustache: run summary, failed and skipped subjects, cohort-level QC,
 * methods and versions) linking subjects/&lt;subject&gt;.html (subject.mustache: that subject's QC pictures and
 * tables from every stage), plus report.json for programs. Every page is self-contained (pictures embedded) and
 * deterministic (no dates), so an unchanged run yields byte-identical reports. Only pseudonymous keys appear: the
 * report reads published results, never DICOM.
 */
public final class ReportWriter {

    private static final int SUBJECT_TABLE_ROWS = 60;
    private static final int COHORT_TABLE_ROWS = 30;
    private static final HtmlTemplate SUMMARY = HtmlTemplate.of(ReportWriter.class, "summary.mustache");
    private static final HtmlTemplate SUBJECT = HtmlTemplate.of(ReportWriter.class, "subject.mustache");

    /** summary.mustache's model. */
    record SummaryPage(int subjectCount, String stageList, int failedCount, int skippedCount, boolean anyProblem,
            List<RunProblems.FailedTask> failed, List<Skipped> skipped, List<SubjectRow> subjects, List<Stage> cohort,
            LesionPathSection.Section lesion, boolean anyQcFlag, List<List<String>> qcFlags, String methods,
            List<String> references, List<List<String>> versions) {
    }

    /** subject.mustache's model. */
    record SubjectPage(String subject, boolean anyFailed, List<RunProblems.FailedTask> failed, List<Stage> stages) {
    }

    record Skipped(String subject, String reason) {
    }

    /** A row of the subjects table; status is failed, skipped or ok (also the cell's style class). */
    record SubjectRow(String name, boolean linked, String stages, long pictures, String status) {
    }

    record Stage(String name, List<Figure> figures, List<Table> tables) {
    }

    /** A QC picture: its path under the results folder and the picture as a data: URI. */
    record Figure(String caption, String src) {
    }

    /**
     * A table of a stage as table.mustache shows it: its path under the results folder, its row count, at most
     * maxRows of the rows, and how many more the file has (null when none).
     */
    record Table(String name, int rowCount, List<String> header, List<List<String>> rows, Integer more) {

        static Table of(String name, Tsv tsv, int maxRows) {
            List<List<String>> rows = tsv.rows();
            return new Table(name, rows.size(), tsv.header(), rows.subList(0, Math.min(maxRows, rows.size())),
                    rows.size() > maxRows ? rows.size() - maxRows : null);
        }
    }

    private final ResultsInventory inventory;
    private final RunProblems problems;
    private final SoftwareVersions versions;
    private final String nextflowVersion;

    public ReportWriter(ResultsInventory inventory, RunProblems problems, SoftwareVersions versions,
            String nextflowVersion) {
        this.inventory = inventory;
        this.problems = problems;
        this.versions = versions;
        this.nextflowVersion = nextflowVersion;
    }

    /** All subjects the report knows: those with outputs, those that failed and those skipped. */
    Set<String> subjects() {
        Set<String> all = new TreeSet<>(inventory.subjectItems().keySet());
        problems.failed().stream().map(RunProblems.FailedTask::subject).filter(s -> !s.isEmpty()).forEach(all::add);
        all.addAll(problems.skipped().keySet());
        return all;
    }

    public void write(Path outputDir) throws IOException {
        for (String subject : inventory.subjectItems().keySet()) {
            AtomicFiles.writeString(outputDir.resolve("subjects").resolve(subject + ".html"), subjectPage(subject));
        }
        AtomicFiles.writeString(outputDir.resolve("summary.html"), summaryPage());
        AtomicFiles.writeString(outputDir.resolve("report.json"), json());
    }

    private String subjectPage(String subject) throws IOException {
        List<RunProblems.FailedTask> failed = problems.failedFor(subject);
        List<Stage> stages = new ArrayList<>();
        for (Map.Entry<String, List<ResultsInventory.Item>> stage : inventory.subjectItems().get(subject).entrySet()) {
            stages.add(stage(stage.getKey(), stage.getValue(), SUBJECT_TABLE_ROWS));
        }
        return SUBJECT.render(new SubjectPage(subject, !failed.isEmpty(), failed, stages));
    }

    /** A stage's QC pictures (embedded) and tables (at most maxRows rows each). */
    private static Stage stage(String name, List<ResultsInventory.Item> items, int maxRows) throws IOException {
        List<Figure> figures = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        for (ResultsInventory.Item item : items) {
            if (item.kind() == ResultsInventory.Kind.QC_IMAGE) {
                figures.add(new Figure(item.relative(), Html.pngDataUri(item.file())));
            } else if (item.kind() == ResultsInventory.Kind.TABLE) {
                tables.add(Table.of(item.relative(), Tsv.read(item.file()), maxRows));
            }
        }
        return new Stage(name, figures, tables);
    }

    private String summaryPage() throws IOException {
        Set<String> subjects = subjects();
        List<SubjectRow> subjectRows = new ArrayList<>();
        for (String subject : subjects) {
            Map<String, List<ResultsInventory.Item>> items = inventory.subjectItems().getOrDefault(subject, Map.of());
            long pictures = items.values().stream().flatMap(List::stream)
                    .filter(i -> i.kind() == ResultsInventory.Kind.QC_IMAGE).count();
            String status = !problems.failedFor(subject).isEmpty() ? "failed"
                    : problems.skipped().containsKey(subject) ? "skipped" : "ok";
            subjectRows.add(new SubjectRow(subject, !items.isEmpty(), String.join(", ", items.keySet()), pictures,
                    status));
        }
        List<Skipped> skipped = problems.skipped().entrySet().stream()
                .map(e -> new Skipped(e.getKey(), e.getValue())).toList();
        List<Stage> cohort = new ArrayList<>();
        for (Map.Entry<String, List<ResultsInventory.Item>> stage : inventory.cohortItems().entrySet()) {
            cohort.add(stage(stage.getKey(), stage.getValue(), COHORT_TABLE_ROWS));
        }
        List<List<String>> qcFlags = QcFlagsSection.flagged(inventory.results());
        Set<String> stages = new TreeSet<>(inventory.stages());
        MethodsText methods = new MethodsText();
        List<List<String>> versionRows = new ArrayList<>();
        versions.byProcess().forEach((process, v) -> v.forEach((software, version) -> versionRows.add(
                List.of(process, software, version))));
        return SUMMARY.render(new SummaryPage(subjects.size(), String.join(", ", stages), problems.failed().size(),
                skipped.size(), !problems.failed().isEmpty() || !skipped.isEmpty(), problems.failed(), skipped,
                subjectRows, cohort, LesionPathSection.read(inventory.results()), !qcFlags.isEmpty(), qcFlags,
                methods.paragraph(stages, versions, nextflowVersion), methods.references(), versionRows));
    }

    private String json() throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("subjects", new ArrayList<>(subjects()));
        doc.put("stages", inventory.stages());
        List<Map<String, String>> failed = new ArrayList<>();
        for (RunProblems.FailedTask f : problems.failed()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("subject", f.subject());
            row.put("process", f.process());
            row.put("tag", f.tag());
            row.put("exit", f.exit());
            row.put("attempts", f.attempts());
            failed.add(row);
        }
        doc.put("failed", failed);
        doc.put("skipped", problems.skipped());
        doc.put("subject_pages", new ArrayList<>(inventory.subjectItems().keySet().stream()
                .map(s -> "subjects/" + s + ".html").toList()));
        return Json.pretty(doc);
    }
}
