package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Subjects the run could not complete: tasks that failed twice and were skipped (the markers the pipeline's error
 * strategy writes to pipeline_info/failed_tasks/) and subjects the ingest found no usable NCCT series for
 * (ingest/manifest.tsv). Task tags are pseudonymous keys (subject, study or series); the manifest maps them to
 * the subject.
 */
public final class RunProblems {

    /** One task given up after its retries. */
    record FailedTask(String subject, String process, String tag, String exit, String attempts) {
    }

    private final List<FailedTask> failed = new ArrayList<>();
    private final Map<String, String> skipped = new TreeMap<>();

    public static RunProblems read(Path results) throws IOException {
        RunProblems problems = new RunProblems();
        Map<String, String> keyToSubject = new HashMap<>();
        Map<String, List<Map<String, String>>> manifestBySubject = new TreeMap<>();
        Path manifest = results.resolve("ingest/manifest.tsv");
        if (Files.isRegularFile(manifest)) {
            for (Map<String, String> row : Tsv.read(manifest).records()) {
                String subject = row.getOrDefault("subject", "");
                if (!ResultsInventory.SUBJECT.matcher(subject).matches()) {
                    continue; // unreadable series have no subject ("n/a")
                }
                keyToSubject.put(row.getOrDefault("series", ""), subject);
                keyToSubject.put(row.getOrDefault("study", ""), subject);
                manifestBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(row);
            }
        }
        Path markers = results.resolve("pipeline_info/failed_tasks");
        if (Files.isDirectory(markers)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(markers)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".tsv")).sorted().toList();
            }
            for (Path file : files) {
                for (Map<String, String> row : Tsv.read(file).records()) {
                    String tag = row.getOrDefault("tag", "");
                    String subject = ResultsInventory.SUBJECT.matcher(tag).matches() ? tag
                            : keyToSubject.getOrDefault(firstKey(tag), "");
                    problems.failed.add(new FailedTask(subject, row.getOrDefault("process", ""), tag,
                            row.getOrDefault("exit", ""), row.getOrDefault("attempts", "")));
                }
            }
        }
        manifestBySubject.forEach((subject, rows) -> {
            if (rows.stream().noneMatch(r -> "accepted".equals(r.get("decision")))) {
                Set<String> reasons = new LinkedHashSet<>();
                for (Map<String, String> r : rows) {
                    for (String reason : r.getOrDefault("reasons", "").split(";")) {
                        if (!reason.isBlank()) {
                            reasons.add(reason.replaceFirst("=.*", ""));
                        }
                    }
                }
                problems.skipped.put(subject, "no usable NCCT series (" + rows.size() + " series: "
                        + String.join(", ", reasons) + ")");
            }
        });
        return problems;
    }

    /** A tag may hold more than a key (e.g. "ser-x (retry)"): its first pseudonymous word. */
    private static String firstKey(String tag) {
        String trimmed = tag.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    List<FailedTask> failed() {
        return failed;
    }

    /** Subjects skipped before any per-subject task, with the reason. */
    Map<String, String> skipped() {
        return skipped;
    }

    List<FailedTask> failedFor(String subject) {
        return failed.stream().filter(f -> f.subject().equals(subject)).toList();
    }
}
