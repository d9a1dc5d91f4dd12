package org.deepstroke.reporting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;

/**
 * Writes the run report: summary.html (run summary, failed and skipped subjects, cohort-level QC, methods and
 * versions) linking subjects/&lt;subject&gt;.html (that subject's QC pictures and tables from every stage), plus
 * report.json for programs. Every page is self-contained (pictures embedded) and deterministic (no dates), so an
 * unchanged run yields byte-identical reports. Only pseudonymous keys appear: the report reads published results,
 * never DICOM.
 */
final class ReportWriter {

    private static final int SUBJECT_TABLE_ROWS = 60;
    private static final int COHORT_TABLE_ROWS = 30;

    private final ResultsInventory inventory;
    private final RunProblems problems;
    private final SoftwareVersions versions;
    private final String nextflowVersion;
    private final String css;

    ReportWriter(ResultsInventory inventory, RunProblems problems, SoftwareVersions versions, String nextflowVersion)
            throws IOException {
        this.inventory = inventory;
        this.problems = problems;
        this.versions = versions;
        this.nextflowVersion = nextflowVersion;
        try (InputStream in = ReportWriter.class.getResourceAsStream("report.css")) {
            this.css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** All subjects the report knows: those with outputs, those that failed and those skipped. */
    Set<String> subjects() {
        Set<String> all = new TreeSet<>(inventory.subjectItems().keySet());
        problems.failed().stream().map(RunProblems.FailedTask::subject).filter(s -> !s.isEmpty()).forEach(all::add);
        all.addAll(problems.skipped().keySet());
        return all;
    }

    void write(Path outputDir) throws IOException {
        for (String subject : inventory.subjectItems().keySet()) {
            AtomicFiles.writeString(outputDir.resolve("subjects").resolve(subject + ".html"), subjectPage(subject));
        }
        AtomicFiles.writeString(outputDir.resolve("summary.html"), summaryPage());
        AtomicFiles.writeString(outputDir.resolve("report.json"), json());
    }

    private String subjectPage(String subject) throws IOException {
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"../summary.html\">&larr; run summary</a></p>\n<h1>")
                .append(Html.escape(subject)).append("</h1>\n");
        List<RunProblems.FailedTask> failed = problems.failedFor(subject);
        if (!failed.isEmpty()) {
            body.append("<p class=\"failed\">Failed (skipped after a retry):</p>\n<ul>");
            for (RunProblems.FailedTask f : failed) {
                body.append("<li>").append(Html.escape(f.process())).append(" (").append(Html.escape(f.tag()))
                        .append("), exit ").append(Html.escape(f.exit())).append("</li>");
            }
            body.append("</ul>\n");
        }
        for (Map.Entry<String, List<ResultsInventory.Item>> stage : inventory.subjectItems().get(subject).entrySet()) {
            body.append("<h2>").append(Html.escape(stage.getKey())).append("</h2>\n");
            appendItems(body, stage.getValue(), SUBJECT_TABLE_ROWS, false);
        }
        return Html.page("DeepStroke: " + subject, css, body.toString());
    }

    private void appendItems(StringBuilder body, List<ResultsInventory.Item> items, int maxRows, boolean collapse)
            throws IOException {
        for (ResultsInventory.Item item : items) {
            if (item.kind() == ResultsInventory.Kind.QC_IMAGE) {
                body.append(Html.image(item.file(), item.relative()));
            }
        }
        for (ResultsInventory.Item item : items) {
            if (item.kind() == ResultsInventory.Kind.TABLE) {
                Tsv tsv = Tsv.read(item.file());
                if (collapse) {
                    body.append("<details><summary>").append(Html.escape(item.relative())).append(" (")
                            .append(tsv.rows().size()).append(" rows)</summary>\n")
                            .append(Html.table(tsv, maxRows)).append("</details>\n");
                } else {
                    body.append("<h3>").append(Html.escape(item.relative())).append("</h3>\n")
                            .append(Html.table(tsv, maxRows));
                }
            }
        }
    }

    private String summaryPage() throws IOException {
        Set<String> stages = new TreeSet<>(inventory.stages());
        Set<String> subjects = subjects();
        StringBuilder body = new StringBuilder("<h1>DeepStroke run summary</h1>\n");
        body.append("<p>").append(subjects.size()).append(" subjects; stages with outputs: ")
                .append(Html.escape(String.join(", ", stages))).append(". ")
                .append(problems.failed().size()).append(" failed tasks, ")
                .append(problems.skipped().size()).append(" subjects skipped.</p>\n");

        body.append("<h2>Failed and skipped subjects</h2>\n");
        if (problems.failed().isEmpty() && problems.skipped().isEmpty()) {
            body.append("<p class=\"ok\">None: every subject went through every stage that ran.</p>\n");
        } else {
            body.append("<table><thead><tr><th>subject</th><th>status</th><th>process</th><th>task</th>"
                    + "<th>exit</th><th>attempts</th></tr></thead><tbody>\n");
            for (RunProblems.FailedTask f : problems.failed()) {
                body.append("<tr><td>").append(Html.escape(f.subject().isEmpty() ? "(unknown)" : f.subject()))
                        .append("</td><td class=\"failed\">failed</td><td>").append(Html.escape(f.process()))
                        .append("</td><td>").append(Html.escape(f.tag())).append("</td><td>")
                        .append(Html.escape(f.exit())).append("</td><td>").append(Html.escape(f.attempts()))
                        .append("</td></tr>\n");
            }
            for (Map.Entry<String, String> s : problems.skipped().entrySet()) {
                body.append("<tr><td>").append(Html.escape(s.getKey())).append("</td><td>skipped</td><td colspan=\"4\">")
                        .append(Html.escape(s.getValue())).append("</td></tr>\n");
            }
            body.append("</tbody></table>\n");
        }

        body.append("<h2>Subjects</h2>\n<table><thead><tr><th>subject</th><th>stages</th><th>QC pictures</th>"
                + "<th>status</th></tr></thead><tbody>\n");
        for (String subject : subjects) {
            Map<String, List<ResultsInventory.Item>> items = inventory.subjectItems().getOrDefault(subject, Map.of());
            long pictures = items.values().stream().flatMap(List::stream)
                    .filter(i -> i.kind() == ResultsInventory.Kind.QC_IMAGE).count();
            String name = items.isEmpty() ? Html.escape(subject)
                    : "<a href=\"subjects/" + Html.escape(subject) + ".html\">" + Html.escape(subject) + "</a>";
            String status = !problems.failedFor(subject).isEmpty() ? "<span class=\"failed\">failed</span>"
                    : problems.skipped().containsKey(subject) ? "skipped" : "<span class=\"ok\">ok</span>";
            body.append("<tr><td>").append(name).append("</td><td>")
                    .append(Html.escape(String.join(", ", items.keySet()))).append("</td><td>").append(pictures)
                    .append("</td><td>").append(status).append("</td></tr>\n");
        }
        body.append("</tbody></table>\n");

        body.append("<h2>Cohort-level results</h2>\n");
        for (Map.Entry<String, List<ResultsInventory.Item>> stage : inventory.cohortItems().entrySet()) {
            body.append("<h3>").append(Html.escape(stage.getKey())).append("</h3>\n");
            appendItems(body, stage.getValue(), COHORT_TABLE_ROWS, true);
        }

        body.append(LesionPathSection.html(inventory.results()));
        body.append(QcFlagsSection.html(inventory.results()));

        MethodsText methods = new MethodsText();
        body.append("<h2>Methods</h2>\n<p class=\"methods\">")
                .append(Html.escape(methods.paragraph(stages, versions, nextflowVersion))).append("</p>\n");
        body.append("<h3>References</h3>\n<ol>\n");
        for (String ref : methods.references()) {
            body.append("<li>").append(Html.escape(ref)).append("</li>\n");
        }
        body.append("</ol>\n");

        body.append("<h2>Software versions</h2>\n<table><thead><tr><th>process</th><th>software</th>"
                + "<th>version</th></tr></thead><tbody>\n");
        versions.byProcess().forEach((process, v) -> v.forEach((software, version) -> body.append("<tr><td>")
                .append(Html.escape(process)).append("</td><td>").append(Html.escape(software)).append("</td><td>")
                .append(Html.escape(version)).append("</td></tr>\n")));
        body.append("</tbody></table>\n<p class=\"note\">Nextflow's execution report, timeline, trace and DAG are in "
                + "pipeline_info/.</p>\n");
        return Html.page("DeepStroke run summary", css, body.toString());
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
