package org.deepstroke.ingest.scan;

import com.carrotsearch.hppc.LongHashSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deepstroke.core.cli.Progress;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.ingest.dicom.DicomDirContents;
import org.deepstroke.ingest.dicom.DicomDirRecord;
import org.deepstroke.ingest.dicom.DicomFormatException;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.dicom.InstanceHeader;
import org.deepstroke.ingest.dicom.Part10;
import org.deepstroke.ingest.rules.IngestRules;

/**
 * Walks DICOMDIR file-sets (or plain folders), reads every referenced instance's header (never its pixel data),
 * groups instances by SeriesInstanceUID and hands the series to {@link SeriesRules}. Roots are scanned one at a
 * time and folders walked lazily; what stays is about 100 bytes per instance ({@link InstanceTable},
 * {@link PathPool}, hashed SOP UIDs and paths) plus the distinct values per series; headers are read in batches by a
 * small thread pool and dropped at once (1,000,000 instances fit a 256 MB heap: README, "Memory").
 */
public final class DicomDirScanner {

    private static final int BATCH = 256;

    /** Everything the scan found, ready to be written. */
    public record Result(List<SeriesRules.Decision> series, Map<String, Object> report) {
    }

    /** A file to read, with what the DICOMDIR said about it. */
    private record Candidate(ScanInput input, String relPath, Path file, String dicomdirSeries, String dicomdirSop) {
    }

    private final DicomSource dicom;
    private final IngestRules rules;
    private final Pseudonymizer pseudonyms;
    private final int threads;
    private final Consumer<String> log;
    /** Plain-folder walks keep only these files (absolute, normalised); null = every Part 10 file. */
    private Set<Path> onlyFiles;

    public DicomDirScanner(DicomSource dicom, IngestRules rules, Pseudonymizer pseudonyms, int threads,
            Consumer<String> log) {
        this.dicom = dicom;
        this.rules = rules;
        this.pseudonyms = pseudonyms;
        this.threads = Math.max(1, threads);
        this.log = log;
    }

    /**
     * Restricts plain-folder walks to the given files (aspects-scan --dicom FILE...): the same rules decide on a
     * hand-picked set of files, with their common folder as the root.
     */
    public DicomDirScanner onlyFiles(java.util.Collection<Path> files) {
        this.onlyFiles = new HashSet<>();
        for (Path f : files) {
            this.onlyFiles.add(f.toAbsolutePath().normalize());
        }
        return this;
    }

    /** Resolves the given paths (file-set folders or DICOMDIR files) to scan inputs. */
    public static List<ScanInput> inputs(List<Path> given, boolean folders) throws IOException {
        List<ScanInput> inputs = new ArrayList<>();
        Map<String, Integer> firstById = new HashMap<>();
        for (Path p : given) {
            Path root;
            Path dicomdir;
            if (Files.isRegularFile(p)) {
                // Issue 16: any file used to scan its whole parent folder (1,465 unrelated headers, exit 0).
                if (!Part10.isDicomdir(p)) {
                    throw new UsageError("--input " + p + ": not a DICOMDIR (give a file-set folder or its DICOMDIR; "
                            + "folders without one need --folders)");
                }
                root = p.toAbsolutePath().getParent();
                dicomdir = p;
            } else if (Files.isDirectory(p)) {
                root = p;
                dicomdir = findDicomdir(p);
                if (dicomdir == null && !folders) {
                    throw new ToolFailure(p, "no DICOMDIR in this folder (give --folders to scan plain folders)");
                }
            } else {
                throw new ToolFailure(p, "no such file or folder");
            }
            String id = FileSetId.of(root, dicomdir);
            Integer first = firstById.putIfAbsent(id, inputs.size());
            inputs.add(new ScanInput(id, root, dicomdir, first == null ? -1 : first));
        }
        return inputs;
    }

    static Path findDicomdir(Path dir) {
        for (String name : List.of("DICOMDIR", "dicomdir", "Dicomdir")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    /** What the listing of the roots found: the per-root entries of the report and what the listing counted. */
    private static final class Listing {
        final List<Map<String, Object>> roots = new ArrayList<>();
        /** 64-bit hashes of the absolute paths read so far: a file referenced twice is read once. */
        final LongHashSet seenFiles = new LongHashSet();
        final Set<String> walkedInstead = new HashSet<>();
        long candidates;
        int duplicateReferences;
    }

    /** What reading the headers found: the series and the counts of every file that did not join one. */
    private static final class Tally {
        final PathPool paths = new PathPool();
        final Map<String, SeriesAccumulator> series = new LinkedHashMap<>();
        final Map<String, Integer> unattributed = new TreeMap<>();
        final List<String> unattributedFiles = new ArrayList<>();
        int read;
        int missing;
        int unreadable;
        int duplicates;
    }

    /**
     * Scans the roots one at a time: a root's files are listed (its DICOMDIR's records, or its folder walked
     * lazily) and their headers read before the next root is opened, so what the scan holds between roots is the
     * compact per-series state ({@link SeriesAccumulator}, {@link PathPool}), about 100 bytes per instance, and
     * never a list of every file (issue 16 item 11: 20,000 instances did not fit a 128 MB heap).
     */
    public Result scan(List<ScanInput> inputs, boolean folders) throws IOException {
        long start = System.nanoTime();
        Tally tally = new Tally();
        Listing listing = new Listing();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "dicom-header");
            t.setDaemon(true);
            return t;
        });
        try (Progress progress = new Progress("dicomdir-scan", 0)) {
            for (ScanInput input : inputs) {
                listing.roots.add(scanRoot(input, listing, tally, pool, progress));
            }
        } finally {
            pool.shutdownNow();
        }
        for (SeriesAccumulator acc : tally.series.values()) {
            for (String root : acc.roots) {
                if (listing.walkedInstead.contains(root)) {
                    acc.rootNotes.add("dicomdir_unreadable_folder_walked");
                }
            }
        }
        List<SeriesAccumulator> all = new ArrayList<>(tally.series.values());
        tally.series.clear();
        List<SeriesRules.Decision> decisions = new SeriesRules(rules).decide(all);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(decisions, report(listing, tally, decisions, seconds));
    }

    /** Lists one root's files and reads their headers into the tally; returns the root's report entry. */
    private Map<String, Object> scanRoot(ScanInput input, Listing listing, Tally tally, ExecutorService pool,
            Progress progress) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", input.id());
        if (input.duplicateOf() >= 0) {
            // the same DICOMDIR bytes as an earlier root: the same export, read once
            r.put("kind", "duplicate");
            r.put("duplicate_of_root", input.duplicateOf() + 1);
            log.accept(input.id() + ": same DICOMDIR as root " + (input.duplicateOf() + 1) + ": skipped");
            return r;
        }
        List<String> warnings = new ArrayList<>();
        DicomdirListing fromDicomdir = null;
        if (input.dicomdir() != null) {
            r.put("kind", "dicomdir");
            try {
                fromDicomdir = listDicomdir(input, r, warnings, tally);
            } catch (DicomFormatException e) {
                // A DICOMDIR that cannot be parsed or read whole (a record sequence whose length no longer
                // matches after records were edited; a file cut short; too large for the heap) must not lose the
                // file-set: its folder is walked instead, and every series from it says so (issue 16: a truncated
                // DICOMDIR lost two of five series and 21 slices of a third with exit 0).
                warnings.add("DICOMDIR unreadable (" + e.getMessage() + "): folder walked instead");
                r.put("kind", "folder");
                listing.walkedInstead.add(input.id());
            }
        } else {
            r.put("kind", "folder");
        }
        FolderWalk walk = fromDicomdir == null ? new FolderWalk(input) : null;
        if (walk != null) {
            r.put("files_not_dicom", 0); // filled in once the walk is done (the entry's key order stays)
            r.put("files_not_dicom_empty", 0);
        }
        r.put("directory_records_with_files", fromDicomdir == null ? 0 : fromDicomdir.records());
        r.put("files_listed", 0);
        r.put("references_outside_root", fromDicomdir == null ? 0 : fromDicomdir.outside());
        r.put("warnings", warnings);
        for (String w : warnings) {
            log.accept(input.id() + ": " + w);
        }
        if (walk == null) {
            progress.extend(fromDicomdir.files().size());
            readHeaders(fromDicomdir.files().iterator(), false, listing, tally, pool, progress);
            r.put("files_listed", fromDicomdir.files().size());
            return r;
        }
        try {
            readHeaders(walk, true, listing, tally, pool, progress);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // a folder that cannot be listed: the tool's one-line error names it
        }
        r.put("files_not_dicom", walk.notDicom);
        r.put("files_not_dicom_empty", walk.empty);
        r.put("files_listed", walk.listed);
        return r;
    }

    /** A DICOMDIR's files inside the root, its records with files, and its references leaving the root. */
    private record DicomdirListing(List<Candidate> files, int records, int outside) {
    }

    /**
     * The files a root's DICOMDIR lists (references leaving the root are counted against their series, never
     * opened), and the count of DICOM files in the folder it does not list ({@code files_not_in_dicomdir}).
     */
    private DicomdirListing listDicomdir(ScanInput input, Map<String, Object> r, List<String> warnings, Tally tally)
            throws IOException, DicomFormatException {
        DicomDirContents contents = dicom.readDicomDir(input.dicomdir());
        warnings.addAll(contents.warnings());
        List<Candidate> files = new ArrayList<>();
        int outside = 0;
        for (DicomDirRecord rec : contents.records()) {
            Path file = FileSetPaths.inside(input.root(), rec.fileId());
            if (file == null) {
                outside++;
                attribute(tally, rec.seriesUid(), "file_outside_root", a -> a.outsideRoot++);
                continue;
            }
            String rel = String.join("/", rec.fileId().stream().map(String::strip).toList());
            files.add(new Candidate(input, rel, file, rec.seriesUid(), rec.referencedSopInstanceUid()));
        }
        // DICOM files in the root that the DICOMDIR does not list are counted (not read: a folder may hold other
        // file-sets): a DICOMDIR that parses but lost records (a damaged item length, found by fuzzing) then shows
        // in the report instead of silently.
        Set<String> listed = new HashSet<>();
        for (Candidate c : files) {
            listed.add(c.relPath());
        }
        int unlisted = countUnlisted(input.root(), listed);
        if (unlisted > 0) {
            warnings.add(unlisted + " DICOM (Part 10) files in the folder are not in the DICOMDIR: not "
                    + "scanned (scan that folder as a root of its own to include them)");
        }
        r.put("files_not_in_dicomdir", unlisted);
        return new DicomdirListing(files, contents.records().size(), outside);
    }

    /**
     * Reads the files' headers in batches on the thread pool, in listing order, into the tally; a file already
     * read (referenced twice) is counted, not read again.
     */
    private void readHeaders(java.util.Iterator<Candidate> files, boolean extendProgress, Listing listing,
            Tally tally, ExecutorService pool, Progress progress) {
        List<Candidate> batch = new ArrayList<>(BATCH);
        List<Future<Object>> futures = new ArrayList<>(BATCH);
        while (files.hasNext()) {
            batch.clear();
            futures.clear();
            int skipped = 0;
            while (batch.size() < BATCH && files.hasNext()) {
                Candidate c = files.next();
                if (!listing.seenFiles.add(pathHash(c.file()))) {
                    listing.duplicateReferences++;
                    skipped++;
                    continue;
                }
                batch.add(c);
            }
            if (extendProgress) {
                progress.extend(batch.size() + skipped);
            }
            progress.advance(skipped);
            listing.candidates += batch.size();
            for (Candidate c : batch) {
                futures.add(pool.submit(() -> readOne(c)));
            }
            for (int i = 0; i < batch.size(); i++) {
                Object outcome;
                try {
                    outcome = futures.get(i).get();
                } catch (Exception e) {
                    outcome = "unreadable";
                }
                record(batch.get(i), outcome, tally);
                progress.advance(1);
            }
        }
    }

    /** 64-bit FNV-1a of the file's absolute normalised path (a collision is about 1 in 10^7 at 10^6 files). */
    private static long pathHash(Path file) {
        return sopHash(file.toAbsolutePath().normalize().toString());
    }

    /** One file's outcome: an instance joins its series (once per SOP instance), anything else is counted. */
    private void record(Candidate c, Object outcome, Tally tally) {
        if (outcome instanceof InstanceHeader h) {
            tally.read++;
            SeriesAccumulator acc = accumulator(tally, h.seriesUid());
            long sop = sopHash(h.sopInstanceUid().isEmpty() ? c.relPath() : h.sopInstanceUid());
            if (!acc.sops.add(sop)) {
                acc.duplicateInstances++;
                tally.duplicates++;
                return;
            }
            acc.subjectKeys.add(pseudonyms.pseudonym("subject", "sub", h.patientId()));
            acc.studyKeys.add(pseudonyms.pseudonym("study", "ses", h.studyUid()));
            acc.add(h, c.input().id(), c.relPath(), rules.scan().orientationTolerance(),
                    rules.scan().pixelSpacingToleranceMm());
            if (c.dicomdirSop() != null && !c.dicomdirSop().equals(h.sopInstanceUid())) {
                acc.sopMismatch++;
            }
        } else if ("missing".equals(outcome)) {
            tally.missing++;
            attribute(tally, c.dicomdirSeries(), "missing_files", a -> a.missing++);
            if (c.dicomdirSeries() == null) {
                tally.unattributedFiles.add(c.input().id() + "/" + c.relPath() + ": missing");
            }
            log.accept(c.input().id() + "/" + c.relPath() + ": referenced file missing");
        } else if (DicomFormatException.DICOMDIR.equals(outcome)) {
            tally.unattributed.merge("dicomdir_files_skipped", 1, Integer::sum);
        } else {
            tally.unreadable++;
            attribute(tally, c.dicomdirSeries(), "unreadable_files", a -> a.unreadable++);
            if (c.dicomdirSeries() == null) {
                tally.unattributedFiles.add(c.input().id() + "/" + c.relPath() + ": " + outcome);
            }
            log.accept(c.input().id() + "/" + c.relPath() + ": " + outcome);
        }
    }

    /** scan-report.json's content. */
    private static Map<String, Object> report(Listing listing, Tally tally, List<SeriesRules.Decision> decisions,
            double seconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        long listed = listing.candidates;
        report.put("roots", listing.roots);
        report.put("files_listed", listed + listing.duplicateReferences);
        report.put("duplicate_references_skipped", listing.duplicateReferences);
        report.put("headers_read", tally.read);
        report.put("missing_files", tally.missing);
        report.put("unreadable_files", tally.unreadable);
        report.put("duplicate_instances_dropped", tally.duplicates);
        report.put("files_not_dicom", listing.roots.stream()
                .mapToInt(r -> (Integer) r.getOrDefault("files_not_dicom", 0)).sum());
        report.put("problems_not_attributable_to_a_series", tally.unattributed);
        report.put("unattributed_files", tally.unattributedFiles.size() > 200
                ? tally.unattributedFiles.subList(0, 200) : tally.unattributedFiles);
        report.put("series", decisions.size());
        Map<String, Integer> byDecision = new TreeMap<>();
        for (SeriesRules.Decision d : decisions) {
            byDecision.merge(d.decision(), 1, Integer::sum);
        }
        report.put("series_by_decision", byDecision);
        report.put("seconds", Math.round(seconds * 1000) / 1000.0);
        report.put("files_per_second", seconds > 0 ? Math.round(listed / seconds) : 0);
        return report;
    }

    private void attribute(Tally tally, String seriesUid, String what, Consumer<SeriesAccumulator> bump) {
        if (seriesUid == null) {
            tally.unattributed.merge(what, 1, Integer::sum);
            return;
        }
        bump.accept(accumulator(tally, seriesUid));
    }

    private SeriesAccumulator accumulator(Tally tally, String seriesUid) {
        return tally.series.computeIfAbsent(seriesUid,
                u -> new SeriesAccumulator(pseudonyms.pseudonym("series", "ser", u), tally.paths));
    }

    /** An InstanceHeader, or a short category: missing, not-dicom, unreadable (...), truncated. */
    private Object readOne(Candidate c) {
        if (!Files.isRegularFile(c.file())) {
            return "missing";
        }
        try {
            return dicom.readHeader(c.file());
        } catch (DicomFormatException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "unreadable (" + (e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : "read error") + ")";
        } catch (RuntimeException e) {
            return "unreadable (malformed data)";
        }
    }

    /**
     * Regular files below a plain folder root that start with the DICOM Part 10 preamble (DICM at byte 128), listed
     * lazily in path order: one folder's entries are held at a time, never the whole tree. The others are counted
     * ({@code notDicom}, of which {@code empty} have zero bytes; hidden files and DICOMDIRs are not counted) for the
     * root's report entry, never dropped unseen. Symbolic links to folders are not followed; a link to a file is
     * read only when it stays inside the root.
     */
    private final class FolderWalk implements java.util.Iterator<Candidate> {
        private final ScanInput input;
        private final Path root;
        private final java.util.Iterator<Path> files;
        private Candidate next;
        int notDicom;
        int empty;
        int listed;

        FolderWalk(ScanInput input) throws IOException {
            this.input = input;
            // Walk the real folder: Nextflow stages every root as a symbolic link (a plain-folder root yielded no
            // file in the pipeline when the link itself was walked).
            this.root = input.root().toRealPath();
            try {
                this.files = SortedWalk.of(root).iterator();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && files.hasNext()) {
                next = candidate(files.next());
            }
            return next != null;
        }

        @Override
        public Candidate next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Candidate c = next;
            next = null;
            listed++;
            return c;
        }

        private Candidate candidate(Path f) {
            String name = f.getFileName().toString();
            if (!Files.isRegularFile(f) || name.equalsIgnoreCase("DICOMDIR") || name.startsWith(".")) {
                return null;
            }
            if (onlyFiles != null && !onlyFiles.contains(f.toAbsolutePath().normalize())) {
                return null;
            }
            try {
                if (!f.toRealPath().startsWith(root)) {
                    return null; // a link leaving the root: never opened
                }
                if (!Part10.hasPreamble(f)) {
                    notDicom++;
                    if (Files.size(f) == 0) {
                        empty++;
                    }
                    return null;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String rel = root.relativize(f).toString().replace('\\', '/');
            return new Candidate(input, rel, f, null, null);
        }
    }

    /**
     * Part 10 files below {@code root} (hidden files and DICOMDIRs aside) whose path relative to the root is not in
     * {@code listed} (symbolic links are not followed); streamed, so nothing per file is kept. Relative paths,
     * because the root may be a symbolic link (Nextflow stages roots so) and the walk runs on the real folder.
     */
    private static int countUnlisted(Path root, Set<String> listed) throws IOException {
        Path real = root.toRealPath();
        int[] n = {0};
        try (Stream<Path> files = SortedWalk.of(real)) {
            // the folder scan's own walk: links are not followed, nothing outside the root is opened
            files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(f -> {
                String name = f.getFileName().toString();
                String rel = real.relativize(f).toString().replace('\\', '/');
                if (!name.startsWith(".") && !name.equalsIgnoreCase("DICOMDIR") && !listed.contains(rel)
                        && Part10.hasPreamble(f) && !Part10.isDicomdir(f)) {
                    n[0]++;
                }
            });
        }
        return n[0];
    }

    /** 64-bit FNV-1a of a UID: duplicates are detected without keeping the UIDs. */
    static long sopHash(String uid) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < uid.length(); i++) {
            h ^= uid.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
