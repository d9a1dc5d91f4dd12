package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.deepstroke.core.testing.MlflowServer;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations end to end, on ONE test-profile cohort shared by every check (3 synthetic subjects plus a deliberately
 * broken DICOMDIR: a copy of the Philips phantom's 5 mm series whose slice I10 claims JPEG lossless but holds garbage,
 * so the scan accepts the series and its conversion fails every time):
 * <ol>
 * <li>the run is SIGKILLed mid-way (after ATLAS and PHANTOM finished) and resumed: every task finished before the
 * kill is CACHED;</li>
 * <li>an uninterrupted run of the same inputs, in containers ({@code -profile test,reproducible,podman}: every
 * process in its family's image, pinned by the digest containers/build.sh pushed to the local registry), yields the
 * same outputs;</li>
 * <li>the broken subject is retried once, skipped, the cohort completes, and the report lists the subject;</li>
 * <li>no synthetic patient name, ID or birth date appears in any output, log, trace, report or MLflow run;</li>
 * <li>rebuilding the unchanged tools gives byte-identical jars and a -resume caches every task.</li>
 * </ol>
 * Check 2 once compared the resumed run with an uninterrupted run on the host, and the container run with that one:
 * a full test-profile run more (~5 of CI's minutes). The container run is now the uninterrupted reference. Equal
 * outputs show both properties; when they differ, the cause is the resume or the containers: run the test profile
 * on the host beside them to tell (`./nextflow run main.nf -profile test,reproducible`).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsEndToEndTest {

    /** Kept when a check fails, to look at both runs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static Path runDir;
    static Path brokenRoot;
    static Set<String> finishedBeforeKill = new TreeSet<>();
    static List<String> consoleLogs = new ArrayList<>();

    /** A real MLflow server the runs track to, once the pipeline has the tracking_uri parameter (tracking stage). */
    static MlflowServer mlflow;

    static List<String> pipeline(Path results) throws IOException, InterruptedException {
        return pipeline(results, "test,reproducible");
    }

    static List<String> pipeline(Path results, String profile) throws IOException, InterruptedException {
        Path root = ProjectPaths.root();
        Nextflow run = Nextflow.run().profile(profile).param("dicom_roots", brokenRoot).outdir(results).work("work");
        if (Files.readString(root.resolve("params/schema.json")).contains("\"tracking_uri\"")) {
            if (mlflow == null) {
                mlflow = MlflowServer.start(Files.createDirectories(dir.resolve("mlflow-server")));
            }
            run.param("tracking_uri", mlflow.uri());
        }
        return run.command();
    }

    @AfterAll
    static void stopMlflow() {
        if (mlflow != null) {
            mlflow.close();
        }
        ContainerImages.stopRegistryIfOurs();
    }

    static Subprocess.Result run(Path launchDir, List<String> command) {
        Subprocess.Result r = Subprocess.run(command, launchDir, Map.of("NXF_ANSI_LOG", "false"), Duration.ofMinutes(20));
        consoleLogs.add(r.stdout() + r.stderr());
        return r;
    }

    /** The newest execution trace of a results folder, rows as column to value. */
    static List<Map<String, String>> newestTrace(Path results) throws IOException {
        return Nextflow.trace(results, true);
    }

    /**
     * The Philips phantom's 5 mm series (28 slices) as its own file-set; slice I10's transfer syntax becomes JPEG
     * lossless and its pixel data one encapsulated fragment of garbage. Headers stay valid (the scan accepts the
     * series); decoding fails, so DICOM_TO_NIFTI fails on every attempt.
     */
    static Path brokenFileSet(Path target) throws IOException {
        Path source = ProjectPaths.sharedFile("dicom/philips-phantom-fileset");
        Path series = target.resolve("DICOM/S21570/S2010");
        Files.createDirectories(series);
        Files.copy(source.resolve("DICOMDIR"), target.resolve("DICOMDIR"));
        try (Stream<Path> files = Files.list(source.resolve("DICOM/S21570/S2010"))) {
            for (Path f : files.toList()) {
                Files.copy(f, series.resolve(f.getFileName().toString()));
            }
        }
        Path slice = series.resolve("I10");
        byte[] b = Files.readAllBytes(slice);
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int ts = text.indexOf("\u0002\u0000\u0010\u0000UI\u0014\u00001.2.840.10008.1.2.1\u0000");
        int group = text.indexOf("\u0002\u0000\u0000\u0000UL\u0004\u0000");
        int pixels = text.lastIndexOf("\u00e0\u007f\u0010\u0000OW\u0000\u0000");
        assertTrue(ts > 0 && group > 0 && pixels > ts, "unexpected layout of " + slice);
        ByteBuffer out = ByteBuffer.allocate(pixels + 2 + 12 + 8 + 8 + 1000 + 8).order(ByteOrder.LITTLE_ENDIAN);
        out.put(b, 0, ts);
        out.put("\u0002\u0000\u0010\u0000UI\u0016\u00001.2.840.10008.1.2.4.70".getBytes(StandardCharsets.ISO_8859_1));
        out.put(b, ts + 28, pixels - (ts + 28));
        out.putShort((short) 0x7fe0).putShort((short) 0x0010).put("OB".getBytes(StandardCharsets.ISO_8859_1))
                .putShort((short) 0).putInt(-1);
        out.putShort((short) 0xfffe).putShort((short) 0xe000).putInt(0);             // empty offset table
        out.putShort((short) 0xfffe).putShort((short) 0xe000).putInt(1000);          // one fragment
        byte[] garbage = new byte[1000];
        garbage[0] = (byte) 0xff;
        garbage[1] = (byte) 0xd8;
        garbage[2] = (byte) 0xff;
        garbage[3] = (byte) 0xc3;
        for (int k = 4; k < garbage.length; k++) {
            garbage[k] = (byte) ((k * 37) % 251);
        }
        out.put(garbage);
        out.putShort((short) 0xfffe).putShort((short) 0xe0dd).putInt(0);             // sequence delimiter
        byte[] patched = out.array();
        // file meta group length grows by the 2 bytes of the longer transfer syntax UID
        ByteBuffer meta = ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN);
        meta.putInt(group + 8, meta.getInt(group + 8) + 2);
        Files.write(slice, patched);
        return target;
    }

    static Set<String> finishedTasks(Path work) throws IOException {
        Set<String> done = new TreeSet<>();
        if (!Files.isDirectory(work)) {
            return done;
        }
        try (Stream<Path> walk = Files.walk(work, 3)) {
            for (Path exit : walk.filter(p -> p.getFileName().toString().equals(".exitcode")).toList()) {
                if (Files.readString(exit).trim().equals("0")) {
                    Path task = exit.getParent();
                    done.add(task.getParent().getFileName() + "/" + task.getFileName().toString().substring(0, 6));
                }
            }
        }
        return done;
    }

    @Test
    @Order(1)
    void killedRunResumesReusingEveryFinishedTask() throws Exception {
        brokenRoot = brokenFileSet(dir.resolve("broken-fileset"));
        runDir = Files.createDirectories(dir.resolve("run"));
        Path console = runDir.resolve("killed-run.console");
        Process nextflow = new ProcessBuilder(pipeline(runDir.resolve("results"))).directory(runDir.toFile())
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        Set<String> settled = new TreeSet<>();
        try {
            // mid-way: once ATLAS and PHANTOM (the long tasks) have finished, while the ingest is under way
            while (finishedTasks(runDir.resolve("work")).size() < 2) {
                if (!nextflow.isAlive()) {
                    fail("the run ended before it could be killed:\n" + Files.readString(console));
                }
                if (System.nanoTime() > deadline) {
                    fail("no 2 tasks finished in 15 min:\n" + Files.readString(console));
                }
                Thread.sleep(500);
            }
            // A task's .exitcode appears before Nextflow has polled it and written its cache entry (asynchronously):
            // a kill in that window makes -resume rerun it, rightly. The tasks asserted as reused are those finished
            // before a grace period long enough for that record (found by CI: ATLAS and PHANTOM now finish together).
            settled.addAll(finishedTasks(runDir.resolve("work")));
            Thread.sleep(15_000);
        } finally {
            // SIGKILL the launcher, Nextflow's JVM and the running tasks: a node crash, no clean shutdown
            nextflow.descendants().forEach(ProcessHandle::destroyForcibly);
            nextflow.destroyForcibly();
            nextflow.waitFor(1, TimeUnit.MINUTES);
        }
        Thread.sleep(1000);
        finishedBeforeKill.addAll(settled);
        consoleLogs.add(Files.readString(console));
        assertTrue(finishedBeforeKill.size() >= 2, finishedBeforeKill.toString());
        assertFalse(Files.exists(runDir.resolve("results/reports/summary.html")), "killed before the end");

        List<String> resume = pipeline(runDir.resolve("results"));
        resume.add("-resume");
        Subprocess.Result resumed = run(runDir, resume);
        assertEquals(0, resumed.exit(), resumed.describe());
        List<Map<String, String>> trace = newestTrace(runDir.resolve("results"));
        Map<String, String> statusByHash = new HashMap<>();
        trace.forEach(r -> statusByHash.put(r.get("hash"), r.get("status")));
        for (String hash : finishedBeforeKill) {
            assertEquals("CACHED", statusByHash.get(hash), "task " + hash + " finished before the kill: " + trace);
        }
        assertTrue(trace.stream().anyMatch(r -> r.get("status").equals("COMPLETED")), "the rest ran: " + trace);
    }

    /**
     * Timings inside JSON summaries (atlas.json's wall_seconds, scan-report.json's seconds and files_per_second,
     * registration QC's seconds_total, ...) measure the run, not the data: they are the only fields left out of the
     * comparison.
     */
    static final java.util.regex.Pattern TIMING = java.util.regex.Pattern.compile(
            "(.*_)?(seconds|per_second|elapsed|duration|runtime)(_.*)?");

    /** Which run this was (MLflow run ids, Nextflow's run name and session): per run by design, like timings. */
    static final java.util.regex.Pattern RUN_IDENTITY = java.util.regex.Pattern.compile(
            "(.*_)?run_id|nextflow\\.(run_name|session_id)");

    /** A table without its timing columns (history.tsv's per-epoch seconds). */
    static String withoutTimingColumns(String tsv) {
        List<String[]> rows = tsv.lines().map(l -> l.split("\t", -1)).toList();
        if (rows.isEmpty()) {
            return tsv;
        }
        List<Integer> keep = new ArrayList<>();
        for (int c = 0; c < rows.get(0).length; c++) {
            if (!TIMING.matcher(rows.get(0)[c]).matches()) {
                keep.add(c);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            out.append(String.join("\t", keep.stream().map(c -> c < row.length ? row[c] : "").toList())).append('\n');
        }
        return out.toString();
    }

    static void dropTimings(JsonNode node) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode object = (com.fasterxml.jackson.databind.node.ObjectNode) node;
            List<String> timing = new ArrayList<>();
            object.fieldNames().forEachRemaining(f -> {
                if (TIMING.matcher(f).matches() || RUN_IDENTITY.matcher(f).matches()) {
                    timing.add(f);
                }
            });
            object.remove(timing);
        }
        node.forEach(OperationsEndToEndTest::dropTimings);
    }

    /** Task folders (work/ab/cdef...): named by a hash that includes the run's session, so different per run. */
    static final java.util.regex.Pattern TASK_FOLDER = java.util.regex.Pattern.compile("/work/[0-9a-f]{2}/[0-9a-f]{30}/");

    /**
     * SHA-256 of every published file, by path relative to the results folder. Left out: Nextflow's dated reports
     * and ANTs' logs (run timings); in JSON, timing fields; in text, the launch folder and task folder names that
     * provenance records (atlas.json's input paths).
     */
    static Map<String, String> checksums(Path results) throws Exception {
        return checksums(results, Map.of());
    }

    /** The same, with extra text replacements in JSON (where an install lives, for the container comparison). */
    static Map<String, String> checksums(Path results, Map<String, String> jsonReplacements) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(results)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String rel = results.relativize(f).toString();
            // Per run by design: Nextflow's own reports (timestamps, durations), ANTs logs, MLflow journals (one
            // run each: run ids, times) and the HTML reports that show them. Everything else is compared: images,
            // label maps, tables (timing columns dropped), the trained model's bytes, software_versions.yml and
            // every JSON summary (timing fields and MLflow/Nextflow run identities dropped).
            if (rel.startsWith("pipeline_info/execution_") || rel.startsWith("pipeline_info/pipeline_dag_")
                    || rel.endsWith(".log") || rel.startsWith("mlflow/") || rel.contains("mlflow-spool/")
                    || rel.endsWith(".html")) {
                continue;
            }
            byte[] content = Files.readAllBytes(f);
            if (rel.endsWith(".tsv")) {
                content = withoutTimingColumns(new String(content, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
            }
            if (rel.endsWith(".json")) {
                String text = new String(content, StandardCharsets.UTF_8)
                        .replace(results.getParent().toString(), "<launch>");
                text = TASK_FOLDER.matcher(text).replaceAll("/work/<task>/");
                for (Map.Entry<String, String> r : jsonReplacements.entrySet()) {
                    text = text.replace(r.getKey(), r.getValue());
                }
                JsonNode json = new ObjectMapper().readTree(text);
                dropTimings(json);
                content = new ObjectMapper().writeValueAsBytes(json);
            }
            sums.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        }
        return sums;
    }

    @Test
    @Order(2)
    void resumedOutputsEqualAnUninterruptedRunInContainers() throws Exception {
        ContainerImages.build();
        Map<String, String> images = ContainerImages.pinned();
        Path podDir = Files.createDirectories(dir.resolve("podman"));
        Subprocess.Result run = run(podDir, pipeline(podDir.resolve("results"), "test,reproducible,podman"));
        assertEquals(0, run.exit(), run.describe());
        Path containerResults = podDir.resolve("results");
        Path resumedResults = runDir.resolve("results");

        // (a) every task ran in a container, the one of its family, pinned by digest
        List<Map<String, String>> trace = newestTrace(containerResults);
        assertTrue(trace.size() >= 30, trace.toString());
        Map<String, String> imageOf = new TreeMap<>();
        for (Map<String, String> row : trace) {
            String process = row.get("process");
            String simple = process.substring(process.lastIndexOf(':') + 1);
            String family = simple.matches("ATLAS|REGISTER|APPLY_TRANSFORMS|BACK_PROJECT|REFINE_OVERLAY|OVERLAYS_TO_ATLAS")
                    ? "ants" : simple.matches("TRAIN(_.*)?|PREDICT(_.*)?|EVALUATE") ? "training-cpu" : "java-tools";
            assertEquals(images.get(family), row.get("container"), row.toString());
            imageOf.put(process, row.get("container"));
        }
        assertTrue(imageOf.values().containsAll(images.values()), "all three images used: " + imageOf);

        // (b) the same outputs: label maps, tables, JSON summaries (timings aside), the model, QC pictures
        // the commands that provenance records name where ANTs is installed: the checkout's .tools/ants on the host,
        // /opt/deepstroke/.tools/ants in the image (the same Debian packages; measured: the only difference in
        // atlas.json and the registration QC JSON besides timings)
        Map<String, String> inContainers = checksums(containerResults,
                Map.of("/opt/deepstroke/.tools/ants/", "<ants>/"));
        Map<String, String> resumed = checksums(resumedResults,
                Map.of(ProjectPaths.root().resolve(".tools/ants").toString() + "/", "<ants>/"));
        // versions files (software_versions.yml and the ones published beside a stage's outputs) are compared below
        List<String> versionFiles = resumed.keySet().stream().filter(f -> f.endsWith("versions.yml")).toList();
        assertTrue(versionFiles.contains("pipeline_info/software_versions.yml"), versionFiles.toString());
        inContainers.keySet().removeIf(f -> f.endsWith("versions.yml"));
        resumed.keySet().removeIf(f -> f.endsWith("versions.yml"));
        assertEquals(inContainers.keySet(), resumed.keySet(), "same files published");
        List<String> differ = new ArrayList<>();
        inContainers.forEach((f, sum) -> {
            if (!sum.equals(resumed.get(f))) {
                differ.add(f);
            }
        });
        assertEquals(List.of(), differ, "outputs differing between the killed-and-resumed run on the host and the "
                + "uninterrupted run in containers (see the class comment to tell which caused it)");
        assertTrue(resumed.keySet().stream().anyMatch(f -> f.startsWith("ingest/sub-") && f.endsWith(".nii.gz")),
                resumed.keySet().toString());
        assertTrue(resumed.containsKey("atlas/aspects_labels.nii.gz"), resumed.keySet().toString());
        assertTrue(resumed.containsKey("training/model.zip"), "the trained model is compared: " + resumed.keySet());
        assertTrue(Files.isRegularFile(resumedResults.resolve("reports/summary.html")));

        // (c) software_versions.yml: every process names the image digest it ran in; everything else is what the
        // host run recorded, except two things a container changes by design: the JRE is the image's Debian JRE 17
        // (the host's older 17.0.x build is no longer on the Debian mirror, so no image can carry it), and the
        // java-tools and training-cpu images hold no ANTs (the ants family's processes report the same ANTs as the host).
        for (String file : versionFiles) {
            sameVersionsButTheImage(resumedResults.resolve(file), containerResults.resolve(file), imageOf, images);
        }

        // (d) the lesion x regions paths (issue 20; the test profile trains the lesion head): the oracle's lesion
        // maps are the truth's (Dice 1 by construction), the U-Net's lesion map of every subject it predicted is scored
        Path aspects = resumedResults.resolve("aspects");
        Map<String, String> oracle = metricValues(aspects.resolve("lesion-oracle/lesion-oracle_lesion_metrics.tsv"));
        assertEquals("1.0", oracle.get("lesion_map.dice_mean"), oracle.toString());
        long predicted = resumed.keySet().stream()
                .filter(f -> f.startsWith("prediction/") && f.endsWith("_lesion.nii.gz")).count();
        assertTrue(predicted >= 1, resumed.keySet().toString());
        Map<String, String> unet = metricValues(aspects.resolve("lesion-unet/lesion-unet_lesion_metrics.tsv"));
        assertEquals(String.valueOf(predicted), unet.get("lesion_map.n_subjects"), unet.toString());
    }

    /** metric -> value of a two-column metric/value table. */
    private static Map<String, String> metricValues(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        Map<String, String> out = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            out.put(cells[0], cells[1]);
        }
        return out;
    }

    @Test
    @Order(3)
    void brokenSubjectIsRetriedOnceSkippedAndReported() throws Exception {
        Path results = runDir.resolve("results");
        List<Map<String, String>> manifest = Nextflow.tsv(results.resolve("ingest/manifest.tsv"));
        // the broken file-set's accepted series (a synthetic subject may carry a Philips label too)
        String brokenSet = org.deepstroke.ingest.scan.FileSetId.of(brokenRoot);
        Map<String, String> broken = manifest.stream().filter(r -> r.get("decision").equals("accepted")
                && r.get("file_sets").equals(brokenSet)).findFirst().orElseThrow(() -> new AssertionError(manifest));
        String series = broken.get("series");
        String subject = broken.get("subject");
        // two attempts, both failed, in the run that met it; the cohort went on
        List<Map<String, String>> attempts = newestTrace(results).stream()
                .filter(r -> r.get("process").equals("INGEST:DICOM_TO_NIFTI") && r.get("tag").equals(series)).toList();
        assertEquals(2, attempts.size(), attempts.toString());
        assertTrue(attempts.stream().allMatch(r -> r.get("status").equals("FAILED") && r.get("exit").equals("1")),
                attempts.toString());
        List<String> phantoms = Files.readAllLines(results.resolve("phantom/truth/cohort.tsv")).stream().skip(1)
                .map(l -> l.split("\t")[0]).toList();
        assertEquals(3, phantoms.size());
        for (String s : phantoms) {
            try (Stream<Path> files = Files.walk(results.resolve("ingest").resolve(s))) {
                assertEquals(1, files.filter(p -> p.toString().endsWith(".nii.gz") && !p.toString().contains("_overlay"))
                        .count(), s);
            }
        }
        assertFalse(Files.exists(results.resolve("ingest").resolve(subject)), "nothing published for " + subject);
        // the report lists it, by pseudonym
        JsonNode report = new ObjectMapper().readTree(results.resolve("reports/report.json").toFile());
        assertEquals(1, report.get("failed").size(), report.toString());
        JsonNode failed = report.get("failed").get(0);
        assertEquals(subject, failed.get("subject").asText());
        assertEquals("INGEST:DICOM_TO_NIFTI", failed.get("process").asText());
        assertEquals(series, failed.get("tag").asText());
        assertEquals("1", failed.get("exit").asText());
        assertEquals("2", failed.get("attempts").asText());
        String summary = Files.readString(results.resolve("reports/summary.html"));
        assertTrue(summary.contains("<td>" + subject + "</td><td class=\"failed\">failed</td><td>INGEST:DICOM_TO_NIFTI"),
                summary.substring(0, Math.min(3000, summary.length())));
        for (String s : phantoms) {
            assertTrue(summary.contains("<a href=\"subjects/" + s + ".html\">" + s + "</a>"), s);
            assertTrue(Files.isRegularFile(results.resolve("reports/subjects/" + s + ".html")));
        }
    }

    /** Names, IDs and birth dates of the DICOM headers under a folder (PixelMed, headers only). */
    static void identifiers(Path folder, Set<String> names, Set<String> ids, Set<String> dates) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("DICOMDIR")
                    && !p.getFileName().toString().equals("LICENSE")).toList();
        }
        for (Path f : files) {
            AttributeList list = new AttributeList();
            list.read(f.toString(), TagFromName.PixelData);
            names.add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientName));
            ids.add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID));
            ids.add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.OtherPatientIDs));
            ids.add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.AccessionNumber));
            dates.add(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientBirthDate));
        }
        names.remove("");
        ids.remove("");
        dates.remove("");
    }

    @Test
    @Order(4)
    void noPatientIdentifierInAnyOutputLogTraceReportOrMlflowRun() throws Exception {
        Path results = runDir.resolve("results");
        Map<String, String> phantom = newestTrace(results).stream().filter(r -> r.get("process").equals("PHANTOM"))
                .findFirst().orElseThrow();
        String[] hash = phantom.get("hash").split("/");
        Path phantomTask;
        try (Stream<Path> dirs = Files.list(runDir.resolve("work").resolve(hash[0]))) {
            phantomTask = dirs.filter(d -> d.getFileName().toString().startsWith(hash[1])).findFirst().orElseThrow();
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> dates = new LinkedHashSet<>();
        identifiers(phantomTask.resolve("cohort/dicom"), names, ids, dates);
        identifiers(brokenRoot, names, ids, dates);
        // 3 synthetic patients + the Philips phantom (named HEAD, no birth date)
        assertTrue(names.size() >= 3 && dates.size() >= 2, names + " " + dates);
        PhiScanner scanner = new PhiScanner(PhiScanner.needles(names, ids, dates));

        // the scanner finds them where they are: in the DICOM, and in a gzip member / PNG text chunk we plant
        assertFalse(scanner.scanTree(phantomTask.resolve("cohort/dicom"), p -> true).isEmpty(), "positive control");
        String someone = names.iterator().next();
        Path planted = dir.resolve("planted.nii.gz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(planted))) {
            gz.write(("header " + someone + " end").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(1, scanner.scanFile(planted).stream().filter(f -> f.where().equals("gzip content")).map(
                f -> f.file()).distinct().count(), "gzip positive control");
        Path png = dir.resolve("planted.png");
        java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(deflated)) {
            z.write(("Comment " + someone).getBytes(StandardCharsets.UTF_8));
        }
        byte[] text = deflated.toByteArray();
        ByteBuffer chunk = ByteBuffer.allocate(8 + 12 + 9 + text.length + 12);
        chunk.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk.putInt(9 + text.length).put("zTXt".getBytes(StandardCharsets.ISO_8859_1))
                .put("Comment".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0).put((byte) 0).put(text).putInt(0);
        chunk.putInt(0).put("IEND".getBytes(StandardCharsets.ISO_8859_1)).putInt(0);
        Files.write(png, chunk.array());
        assertTrue(scanner.scanFile(png).stream().anyMatch(f -> f.where().equals("PNG compressed text chunk")),
                "PNG zTXt positive control");

        List<PhiScanner.Finding> findings = new ArrayList<>();
        // every published output, report, trace and software version, MLflow spool included when tracking landed
        findings.addAll(scanner.scanTree(results, p -> true));
        // Nextflow's logs of every run in the launch folder (rotated ones too) and the console output
        findings.addAll(scanner.scanTree(runDir, p -> p.getFileName().toString().startsWith(".nextflow.log")
                && p.getParent().equals(runDir)));
        Path consoleDump = dir.resolve("console.txt");
        Files.writeString(consoleDump, String.join("\n", consoleLogs));
        findings.addAll(scanner.scanFile(consoleDump));
        // every task's script, logs and exit files (.command.sh/.run/.log/.err/.out) and every file a task made,
        // except the synthetic DICOM itself (PHANTOM's cohort/dicom: the input the identifiers come from)
        findings.addAll(scanner.scanTree(runDir.resolve("work"), p -> !p.startsWith(phantomTask.resolve("cohort/dicom"))));
        // MLflow: the run's local spool (inside results/, scanned above) and, when the runs tracked to the server,
        // everything the server stored: its database (params, metrics, tags, run names) and its artifacts
        if (mlflow != null) {
            findings.addAll(scanner.scanTree(mlflow.directory(), p -> !p.getFileName().toString().equals("server.log")));
        }
        assertEquals(List.of(), findings.stream().map(PhiScanner.Finding::toString).toList(),
                "identifiers found (names " + names + ")");
        // the scan covered what it claims: logs, trace, report, NIfTI, PNG
        try (Stream<Path> walk = Files.walk(results)) {
            Set<String> kinds = new TreeSet<>();
            walk.filter(Files::isRegularFile).forEach(p -> kinds.add(p.getFileName().toString()
                    .replaceFirst("^.*?((\\.nii\\.gz)|(\\.[a-z]+))$", "$1")));
            assertTrue(kinds.containsAll(Set.of(".nii.gz", ".png", ".tsv", ".json", ".html", ".yml", ".txt")),
                    kinds.toString());
        }
    }

    @Test
    @Order(5)
    void rebuildingUnchangedToolsKeepsEveryTaskCached() throws Exception {
        // a clean build of an identical copy of the sources (the checkout's own target/ stays in use by this test)
        Path javaTools = ProjectPaths.root().resolve("java-tools");
        Path copy = dir.resolve("rebuild/java-tools");
        try (Stream<Path> walk = Files.walk(javaTools)) {
            for (Path p : walk.filter(p -> !javaTools.relativize(p).toString().matches("(.*/)?target(/.*)?")).toList()) {
                Path target = copy.resolve(javaTools.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Subprocess.Result build = Subprocess.run(List.of("mvn", "-B", "-ntp", "-q", "-o", "-f",
                copy.resolve("pom.xml").toString(), "-DskipTests", "package"), copy, Map.of(), Duration.ofMinutes(15));
        assertEquals(0, build.exit(), build.describe());
        Path inUse = javaTools.resolve("dist/target/lib/base");
        Path rebuilt = copy.resolve("dist/target/lib/base");
        List<String> jars;
        try (Stream<Path> list = Files.list(rebuilt)) {
            jars = list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("deepstroke-")).sorted().toList();
        }
        assertTrue(jars.size() >= 6, jars.toString());
        for (String jar : jars) {
            assertEquals(sha256(inUse.resolve(jar)), sha256(rebuilt.resolve(jar)), jar + " rebuilt differently");
        }
        // put the rebuilt jars in place (same bytes, new timestamps), then -resume: nothing runs again
        for (String jar : jars) {
            Files.copy(rebuilt.resolve(jar), inUse.resolve(jar), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> resume = pipeline(runDir.resolve("results"));
        resume.add("-resume");
        Subprocess.Result r = run(runDir, resume);
        assertEquals(0, r.exit(), r.describe());
        for (Map<String, String> row : newestTrace(runDir.resolve("results"))) {
            // the broken subject's conversion is never cached: failed tasks are retried by every run
            boolean broken = row.get("process").equals("INGEST:DICOM_TO_NIFTI") && row.get("status").equals("FAILED");
            assertTrue(broken || row.get("status").equals("CACHED"), row.toString());
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static void sameVersionsButTheImage(Path hostFile, Path podFile, Map<String, String> imageOf,
            Map<String, String> images) throws IOException {
        Map<String, Map<String, String>> hostVersions = ContainerImages.versions(hostFile);
        Map<String, Map<String, String>> podVersions = ContainerImages.versions(podFile);
        assertEquals(List.copyOf(hostVersions.keySet()), List.copyOf(podVersions.keySet()), podFile + ": same processes, same order");
        for (Map.Entry<String, Map<String, String>> e : podVersions.entrySet()) {
            String process = e.getKey();
            Map<String, String> pod = new TreeMap<>(e.getValue());
            Map<String, String> host = new TreeMap<>(hostVersions.get(process));
            if (!pod.containsKey("container") && !imageOf.containsKey(process)) {
                // not written by `deepstroke versions` (training/versions.yml: the U-Net's DL4J/ND4J backend, with
                // its own `java:` line): the same apart from the JRE (measured: 17.0.15 on the host, the image's 17.0.x)
                host.keySet().removeIf(k -> k.equals("java"));
                assertTrue(pod.keySet().removeIf(k -> k.equals("java")), podFile + ": " + e.getValue());
                assertEquals(host, pod, podFile + ": " + process);
                continue;
            }
            String ran = imageOf.getOrDefault(process, pod.get("container"));
            assertEquals(ran, pod.remove("container"), process + ": " + e.getValue());
            assertTrue(images.containsValue(ran), process + ": " + ran);
            assertTrue(pod.remove("java").matches("17\\.\\S*Debian\\S*"), process + ": " + e.getValue());
            host.remove("java");
            if (!ran.equals(images.get("ants")) && "not found".equals(pod.get("ants"))) {
                pod.remove("ants");
                host.remove("ants");
            }
            assertEquals(host, pod, podFile + ": " + process);
        }
    }
}
