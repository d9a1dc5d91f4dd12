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
 * ASPECTS levels; the checks are in aspects-score's &lt;subject&gt;_aspects.json). The note explaining the checks
 * is in summary.mustache; no section when nothing was flagged.
 */
final class QcFlagsSection {

    private QcFlagsSection() {
    }

    /** Subject, labels path and failed checks of every flagged row; empty when nothing was flagged. */
    static List<List<String>> flagged(Path results) throws IOException {
        Path scores = results.resolve("aspects/scores.tsv");
        if (!Files.isRegularFile(scores)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(scores);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int path = header.indexOf("path");
        int subject = header.indexOf("subject");
        int qc = header.indexOf("qc");
        if (qc < 0 || path < 0 || subject < 0) {
            return List.of();
        }
        List<List<String>> flagged = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            if (c.length > qc && !c[qc].equals("ok") && !c[qc].equals("NA") && !c[qc].isBlank()) {
                flagged.add(List.of(c[subject], c[path], c[qc].replaceFirst("^check:", "").replace(",", ", ")));
            }
        }
        return flagged;
    }
}
