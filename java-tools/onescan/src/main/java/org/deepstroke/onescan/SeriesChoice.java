package org.deepstroke.onescan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.rules.IngestRules;
import org.deepstroke.ingest.scan.DicomDirScanner;
import org.deepstroke.ingest.scan.ScanInput;
import org.deepstroke.ingest.scan.SeriesFiles;
import org.deepstroke.ingest.scan.SeriesRules;

/**
 * The series aspects-scan reads: dicomdir-scan's own scanner and NCCT rules over whatever was given (a file-set
 * folder with or without DICOMDIR, a DICOMDIR, or single files), then among the accepted series the one the rules
 * mark preferred (thickness closest to the preferred one, then more slices). Every series and the reason for the
 * choice are kept for the report, by pseudonymous key only.
 */
public final class SeriesChoice {

    /** The chosen series, its files in slice order, and one line per series of the folder. */
    public record Chosen(SeriesRules.Decision decision, List<Path> files, List<String> reasons,
            List<Map<String, Object>> series) {
    }

    private SeriesChoice() {
    }

    public static Chosen choose(List<Path> given, IngestRules rules, Pseudonymizer pseudonyms, int threads,
            Consumer<String> log) throws IOException {
        Given sorted = sort(given);
        DicomDirScanner scanner = new DicomDirScanner(DicomSource.pixelMed(), rules, pseudonyms, threads, log);
        List<ScanInput> inputs = inputs(sorted, scanner);
        DicomDirScanner.Result result = scanner.scan(inputs, true);
        List<SeriesRules.Decision> all = result.series();
        Path named = given.get(0);
        if (all.isEmpty()) {
            throw new ToolFailure(named, "no DICOM series found");
        }
        double preferred = rules.scan().preferredThicknessMm();
        SeriesRules.Decision best = best(all, preferred);
        List<Map<String, Object>> rows = table(all, best);
        if (best == null) {
            StringBuilder why = new StringBuilder();
            for (SeriesRules.Decision d : all) {
                why.append(why.length() == 0 ? "" : "; ").append(d.series()).append(": ")
                        .append(String.join(",", d.reasons()));
            }
            throw new ToolFailure(named, "no series passes the NCCT rules (" + why + ")");
        }
        List<String> reasons = reasons(all, best, preferred);
        Map<String, Path> roots = new LinkedHashMap<>();
        for (ScanInput in : inputs) {
            roots.putIfAbsent(in.id(), in.root());
        }
        List<Path> chosenFiles = SeriesFiles.resolve(best.files(), roots);
        return new Chosen(best, chosenFiles, reasons, rows);
    }

    /** What --dicom named: folders and DICOMDIRs, or single files (absolute), never both. */
    private record Given(List<Path> folders, List<Path> files) {
    }

    private static Given sort(List<Path> given) {
        if (given.isEmpty()) {
            throw new UsageError("--dicom needs a folder, a DICOMDIR or DICOM files");
        }
        List<Path> folders = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p) || (Files.isRegularFile(p) && p.getFileName().toString()
                    .equalsIgnoreCase("DICOMDIR"))) {
                folders.add(p);
            } else if (Files.isRegularFile(p)) {
                files.add(p.toAbsolutePath().normalize());
            } else {
                throw new ToolFailure(p, "no such file or folder");
            }
        }
        if (!folders.isEmpty() && !files.isEmpty()) {
            throw new UsageError("give --dicom either folders/DICOMDIRs or single files, not both");
        }
        return new Given(folders, files);
    }

    /** The scanner's inputs; single files are scanned by walking their common folder for those files only. */
    private static List<ScanInput> inputs(Given given, DicomDirScanner scanner) throws IOException {
        List<Path> files = given.files();
        if (files.isEmpty()) {
            return DicomDirScanner.inputs(given.folders(), true);
        }
        Path root = files.get(0).getParent();
        for (Path f : files) {
            while (!f.startsWith(root)) {
                root = root.getParent();
            }
        }
        List<ScanInput> inputs = DicomDirScanner.inputs(List.of(root), true);
        inputs = List.of(new ScanInput(inputs.get(0).id(), root, null, -1)); // walk the folder, not its DICOMDIR
        scanner.onlyFiles(files);
        return inputs;
    }

    /** The accepted series the rules mark preferred, then thickness closest to the preferred, then most slices. */
    private static SeriesRules.Decision best(List<SeriesRules.Decision> all, double preferred) {
        return all.stream().filter(d -> SeriesRules.ACCEPTED.equals(d.decision()))
                .min(Comparator.comparing((SeriesRules.Decision d) -> !"yes".equals(d.columns().get("preferred")))
                        .thenComparingDouble(d -> Math.abs(d.thickness() - preferred))
                        .thenComparing(d -> -d.slices())
                        .thenComparing(SeriesRules.Decision::series))
                .orElse(null);
    }

    /** One row per series for the report's series table. */
    private static List<Map<String, Object>> table(List<SeriesRules.Decision> all, SeriesRules.Decision best) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SeriesRules.Decision d : all) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("series", d.series());
            r.put("decision", d == best ? "chosen" : d.decision());
            r.put("reasons", d.reasons());
            r.put("notes", d.notes());
            r.put("thickness_mm", Double.isNaN(d.thickness()) ? null : d.thickness());
            r.put("slices", d.slices());
            r.put("kernel", d.columns().getOrDefault("kernel", ""));
            r.put("image_type", d.columns().getOrDefault("image_type", ""));
            rows.add(r);
        }
        return rows;
    }

    /** Why {@code best} was chosen, then why each other series was not. */
    private static List<String> reasons(List<SeriesRules.Decision> all, SeriesRules.Decision best,
            double preferred) {
        List<String> reasons = new ArrayList<>();
        long accepted = all.stream().filter(d -> SeriesRules.ACCEPTED.equals(d.decision())).count();
        reasons.add(String.format(java.util.Locale.ROOT,
                "chose %s of %d series (%d accepted as NCCT): %s mm, %d slices, kernel %s, the ingest rules' "
                        + "preferred series (thickness closest to %s mm, then most slices)%s",
                best.series(), all.size(), accepted, fmt(best.thickness()), best.slices(),
                best.columns().getOrDefault("kernel", "?"), fmt(preferred),
                best.notes().isEmpty() ? "" : "; notes: " + String.join(",", best.notes())));
        for (SeriesRules.Decision d : all) {
            if (d != best) {
                reasons.add(d.series() + " not chosen: " + (SeriesRules.ACCEPTED.equals(d.decision())
                        ? "accepted but " + fmt(d.thickness()) + " mm, " + d.slices() + " slices"
                        : d.decision() + " (" + String.join(",", d.reasons()) + ")"));
            }
        }
        return reasons;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "?" : (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
    }
}
