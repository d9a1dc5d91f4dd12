package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a run published, found by the results layout every stage follows: {@code <results>/<stage>/...}, per-subject
 * files under a {@code sub-xxxx} folder somewhere below the stage, QC pictures named {@code *qc.png}, tables as TSV.
 * Nothing here knows the stages by name, so stages that land later are reported without a change.
 */
public final class ResultsInventory {

    /** Subject folders are pseudonyms; nothing else is taken for a subject. */
    static final Pattern SUBJECT = Pattern.compile("sub-[A-Za-z0-9]+");

    /** Folders that are not stages: the run's own bookkeeping and this tool's output. */
    private static final Set<String> NOT_STAGES = Set.of("pipeline_info", "reports", "work");

    /** One QC picture or table, with its path relative to the results folder. */
    public record Item(String stage, String relative, Path file, Kind kind) {
    }

    public enum Kind { QC_IMAGE, TABLE }

    private final Path results;
    private final Map<String, List<Item>> cohort = new TreeMap<>();
    private final Map<String, Map<String, List<Item>>> subjects = new TreeMap<>();

    private ResultsInventory(Path results) {
        this.results = results;
    }

    /** The results folder scanned. */
    Path results() {
        return results;
    }

    public static ResultsInventory scan(Path results) throws IOException {
        ResultsInventory inventory = new ResultsInventory(results);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(results)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            inventory.add(file);
        }
        return inventory;
    }

    private void add(Path file) {
        Path relative = results.relativize(file);
        if (relative.getNameCount() < 2 || NOT_STAGES.contains(relative.getName(0).toString())) {
            return;
        }
        String name = file.getFileName().toString();
        Kind kind = name.endsWith("qc.png") ? Kind.QC_IMAGE : name.endsWith(".tsv") ? Kind.TABLE : null;
        if (kind == null) {
            return;
        }
        String stage = relative.getName(0).toString();
        Item item = new Item(stage, relative.toString().replace('\\', '/'), file, kind);
        String subject = null;
        for (int i = 1; i < relative.getNameCount() - 1; i++) {
            if (SUBJECT.matcher(relative.getName(i).toString()).matches()) {
                subject = relative.getName(i).toString();
                break;
            }
        }
        if (subject == null) {
            cohort.computeIfAbsent(stage, s -> new ArrayList<>()).add(item);
        } else {
            subjects.computeIfAbsent(subject, s -> new TreeMap<>()).computeIfAbsent(stage, s -> new ArrayList<>())
                    .add(item);
        }
    }

    /** Cohort-level QC pictures and tables by stage (files directly below a stage, not in a subject folder). */
    public Map<String, List<Item>> cohortItems() {
        return cohort;
    }

    /** Per subject (pseudonym), per stage, its QC pictures and tables. */
    public Map<String, Map<String, List<Item>>> subjectItems() {
        return subjects;
    }

    /** Stages that published anything at all (folders below the results, bookkeeping excluded). */
    public List<String> stages() throws IOException {
        try (Stream<Path> list = Files.list(results)) {
            return list.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !NOT_STAGES.contains(n)).sorted().toList();
        }
    }
}
