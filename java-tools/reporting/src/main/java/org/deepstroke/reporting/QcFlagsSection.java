package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run summary's list of subjects whose automatic QC checks failed (issue 14 item 6: real data has no truth, so
 * these say which scores to look at before trusting them): every row of results/aspects/scores.tsv whose qc column
 * is not "ok" (registration NCC or folding, intracranial volume, region left/right balance, coverage of both
 * ASPECTS levels; the checks are in aspects-score's &lt;subject&gt;_aspects.json). Empty when nothing was flagged.
 */
final class QcFlagsSection {

    static final String NOTE = "Automatic checks of aspects-score: registration NCC >= 0.5 and no folding (label "
            + "transfer), brain mask 700..2200 ml, left/right volume ratio of every region within 0.5..2, every region "
            + "of both ASPECTS levels present. A flagged score is not wrong by itself: look at the subject's images.";

    private QcFlagsSection() {
    }

    static String html(Path results) throws IOException {
        Path scores = results.resolve("aspects/scores.tsv");
        if (!Files.isRegularFile(scores)) {
            return "";
        }
        List<String> lines = Files.readAllLines(scores);
        if (lines.isEmpty()) {
            return "";
        }
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int path = header.indexOf("path");
        int subject = header.indexOf("subject");
        int qc = header.indexOf("qc");
        if (qc < 0 || path < 0 || subject < 0) {
            return "";
        }
        List<String[]> flagged = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            if (c.length > qc && !c[qc].equals("ok") && !c[qc].equals("NA") && !c[qc].isBlank()) {
                flagged.add(new String[] {c[subject], c[path], c[qc].replaceFirst("^check:", "").replace(",", ", ")});
            }
        }
        if (flagged.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h2>QC flags</h2>\n<p class=\"note\">").append(Html.escape(NOTE))
                .append("</p>\n<table><thead><tr><th>subject</th><th>labels path</th><th>failed checks</th></tr>"
                        + "</thead><tbody>\n");
        for (String[] f : flagged) {
            b.append("<tr><td>").append(Html.escape(f[0])).append("</td><td>").append(Html.escape(f[1]))
                    .append("</td><td>").append(Html.escape(f[2])).append("</td></tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }
}
