package org.deepstroke.onescan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.deepstroke.ingest.dicom.Part10;
import org.deepstroke.onescan.tools.AspectsScanTool;
import org.deepstroke.phantom.StandInAtlas;
import org.deepstroke.phantom.tools.PhantomTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aspects-scan on synthetic subjects with known ASPECTS (deepstroke phantom, one-subject cohorts generated here: one
 * lesioned, one normal), by label transfer (register quick + back-project, real ANTs) onto the stand-in atlas the
 * phantom drew its labels from: the score within +-1 of the truth, the series the rules prefer chosen among the
 * phantom's localizer/bone/CTA/dose series, no identifier in any output, and the HTML page opened in a real
 * headless Chromium (every image decoded, the score shown). Bad input: one line naming the file, exit 1/2.
 */
class AspectsScanTest {

    static final String KEY = "aspects-scan-test-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path template;
    static Path labels;
    static Path keyFile;

    @BeforeAll
    static void inputs() throws Exception {
        template = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        labels = StandInAtlas.write(template, dir.resolve("standin_labels.nii.gz"));
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, KEY + "\n");
    }

    /** One-subject cohort; normal = ASPECTS 10 without ischaemia, else a lesioned subject. */
    static Path cohort(String name, long seed, boolean normal) {
        Path out = dir.resolve(name);
        Result r = deepstroke(List.of(new PhantomTool()), "phantom", "--template-with-skull",
                ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_with_skull_2mm.nii.gz").toString(),
                "--labels", labels.toString(), "--template", template.toString(), "--subjects", "1", "--seed",
                Long.toString(seed), "--overlay-share", "0", "--tilt-share", "0", "--normal-share", normal ? "1" : "0",
                "--matrix", "256", "--threads", "2", "--pseudonym-key-file", keyFile.toString(), "--output-dir",
                out.toString());
        assertEquals(0, r.exit, r.toString());
        return out;
    }

    record Result(int exit, String out, String err) {
    }

    static Result deepstroke(List<Tool> tools, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Launcher(tools, new PrintWriter(out, true), new PrintWriter(err, true)).run(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result scan(Path dicom, Path out) {
        return deepstroke(List.of(new AspectsScanTool()), "aspects-scan", "--dicom", dicom.toString(),
                "--output-dir", out.toString(), "--template", template.toString(), "--atlas-labels",
                labels.toString(), "--cutpoints",
                ProjectPaths.root().resolve("params/aspects-cutpoints-phantom.yaml").toString(),
                "--pseudonym-key-file", keyFile.toString(), "--threads", "2");
    }

    static JsonNode truth(Path cohort) throws Exception {
        try (Stream<Path> s = Files.list(cohort.resolve("truth"))) {
            Path subject = s.filter(Files::isDirectory).findFirst().orElseThrow();
            return JSON.readTree(subject.resolve("truth.json").toFile());
        }
    }

    void scoresWithinOne(String name, long seed, boolean normal) throws Exception {
        Path cohort = cohort(name, seed, normal);
        JsonNode truth = truth(cohort);
        int expected = truth.get("aspects").asInt();
        assertTrue(normal ? expected == 10 : expected < 10, "phantom truth " + truth);
        Path out = dir.resolve(name + "-report");
        Result r = scan(cohort.resolve("dicom"), out);
        assertEquals(0, r.exit, r.toString());
        Path json = single(out, "_report.json");
        JsonNode report = JSON.readTree(json.toFile());
        int score = report.get("aspects").asInt();
        assertTrue(Math.abs(score - expected) <= 1, name + ": ASPECTS " + score + " vs truth " + expected + "\n"
                + r.err);
        // the subject is the scan's keyed pseudonym, the same as the phantom's truth folder
        assertEquals(truth.get("pseudonym").asText(), report.get("subject").asText());
        // the phantom writes localizer, NCCT 5 mm, thin bone, CTA and dose-screen series: the NCCT one is chosen
        assertTrue(report.get("series_table").size() >= 4, report.get("series_table").toString());
        long chosen = 0;
        for (JsonNode row : report.get("series_table")) {
            chosen += row.get("decision").asText().equals("chosen") ? 1 : 0;
        }
        assertEquals(1, chosen);
        assertTrue(report.get("series_choice").get(0).asText().startsWith("chose "), report.toString());
        // timings per step, in the JSON and printed
        for (String step : List.of("jvm_start", "series_selection", "convert", "skull_strip", "register",
                "back_project", "score", "report", "total")) {
            assertTrue(report.get("timings_seconds").has(step), step + " missing: " + report.get("timings_seconds"));
            assertTrue(report.get("timings_seconds").get(step).asDouble() >= 0);
        }
        assertTrue(r.out.contains("ASPECTS " + score), r.out);
        // QC: a good registration on the synthetic subject; both levels covered
        assertTrue(report.get("registration_brain_overlap").asDouble() > QcFlags.MIN_BRAIN_OVERLAP, report.toString());
        assertTrue(report.get("registration_ncc").isNumber(), "the NCC is reported, not judged: " + report);
        for (JsonNode f : report.get("qc_flags")) {
            if (f.get("code").asText().startsWith("coverage_")) {
                assertEquals("ok", f.get("status").asText(), f.toString());
            }
        }
        assertTrue(Files.readString(single(out, "_report.html")).contains("Research use only, not a medical device"));
        assertTrue(Files.isRegularFile(single(out, "_report.png")));
        assertTrue(Files.isRegularFile(single(out, "_aspects.tsv")), "aspects-score's own files");
        assertTrue(report.get("lesion_ml").isNull(), "label transfer has no lesion map: " + report.get("lesion_ml"));
        assertFalse(Files.exists(out.resolve(report.get("subject").asText() + "_lesion.nii.gz")));
        secondaryCaptureIsValid(single(out, "_report_sc.dcm"), score, report.get("subject").asText());
        segmentationIsValid(single(out, "_labels_seg.dcm"), single(out, "_report_sc.dcm"));
        noIdentifiers(cohort.resolve("dicom"), out, r);
        browserShowsScore(single(out, "_report.html"), score);
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".aspects-scan-")), "work folder left");
        }
    }

    @Test
    void lesionedSubjectWithinOneOfTruth() throws Exception {
        scoresWithinOne("lesioned", 11, false);
    }

    @Test
    void normalSubjectWithinOneOfTruth() throws Exception {
        scoresWithinOne("normal", 12, true);
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws Exception {
        Path missing = dir.resolve("no-such-folder");
        Result r = scan(missing, dir.resolve("bad-out"));
        assertEquals(1, r.exit, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains(missing.toString()) && !r.err.contains("\tat "), r.err);

        Path empty = Files.createDirectories(dir.resolve("not-dicom"));
        Files.writeString(empty.resolve("notes.txt"), "not DICOM");
        r = scan(empty, dir.resolve("bad-out2"));
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains(empty.toString()) && r.err.contains("no DICOM series"), r.err);

        r = deepstroke(List.of(new AspectsScanTool()), "aspects-scan", "--dicom", empty.toString(), "--output-dir",
                dir.resolve("bad-out3").toString(), "--pseudonym-key-file", keyFile.toString());
        assertEquals(2, r.exit, r.toString());
        assertTrue(r.err.contains("--template and --atlas-labels"), r.err);

        // issue 16: the report never lands in the DICOM folder it reads, nor in the folder of a listed file
        Path inside = empty.resolve("report");
        r = scan(empty, inside);
        assertEquals(2, r.exit, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains(inside.toString()) && r.err.contains("lies inside the input folder"), r.err);
        r = scan(empty.resolve("notes.txt"), inside);
        assertEquals(2, r.exit, r.toString());
        assertFalse(Files.exists(inside));
    }

    /** Neither the patient's name, ID, birth date nor any UID of the input appears in any output file or log. */
    static void noIdentifiers(Path dicom, Path out, Result r) throws Exception {
        List<String> secrets = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dicom)) {
            for (Path f : s.filter(Files::isRegularFile).filter(Part10::hasPreamble).limit(5).toList()) {
                AttributeList list = new AttributeList();
                list.read(f.toFile());
                for (var tag : List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate,
                        TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID, TagFromName.AccessionNumber)) {
                    String v = Attribute.getSingleStringValueOrEmptyString(list, tag).strip();
                    if (v.length() >= 4) {
                        secrets.add(v);
                        if (tag.equals(TagFromName.PatientName)) {
                            for (String part : v.split("\\^")) {
                                if (part.length() >= 4) {
                                    secrets.add(part);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertFalse(secrets.isEmpty());
        List<String> texts = new ArrayList<>(List.of(r.out, r.err));
        try (Stream<Path> s = Files.walk(out)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                texts.add(f.getFileName().toString());
                texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        for (String secret : secrets) {
            for (String t : texts) {
                assertFalse(t.contains(secret), "identifier '" + secret + "' in an output");
            }
        }
    }

    /**
     * The report picture as a Secondary Capture: dicom3tools' dciodvfy finds no error against the SC IOD, DCMTK's
     * dcmdump reads it back with the pseudonym, the RGB geometry and the research-use notice.
     */
    static void secondaryCaptureIsValid(Path dcm, int score, String subject) throws Exception {
        noDciodvfyError(dcm);
        Path dcmdump = ProjectPaths.tool("dicom-tools/bin/dcmdump");
        Subprocess.Result d = Subprocess.run(List.of(dcmdump.toString(), dcm.toString()), dir, Map.of(),
                Duration.ofMinutes(1));
        assertEquals(0, d.exit(), d.describe());
        String dump = d.stdout();
        assertTrue(dump.contains("(0008,0016) UI =SecondaryCaptureImageStorage"), dump);
        assertTrue(dump.contains("(0010,0020) LO [" + subject + "]"), dump);
        assertTrue(dump.contains("(0028,0004) CS [RGB]"), dump);
        assertTrue(dump.contains("Research use only, not a medical device") && dump.contains("ASPECTS " + score),
                dump);
    }

    /**
     * The labels as a DICOM Segmentation: no dciodvfy error, one pseudonymous study with the SC (the SEG and its CT
     * copy are checked in depth by ReportSegmentationTest).
     */
    static void segmentationIsValid(Path seg, Path sc) throws Exception {
        noDciodvfyError(seg);
        AttributeList s = new AttributeList();
        s.read(seg.toFile());
        AttributeList c = new AttributeList();
        c.read(sc.toFile());
        assertEquals(Attribute.getSingleStringValueOrEmptyString(c, TagFromName.StudyInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(s, TagFromName.StudyInstanceUID));
        assertTrue(Attribute.getSingleIntegerValueOrDefault(s, TagFromName.NumberOfFrames, 0) > 0);
    }

    static void noDciodvfyError(Path dcm) {
        Path dciodvfy = onPath("dciodvfy", "bin/setup/install-debian-programs.sh . (apt-get install -y dicom3tools)");
        Subprocess.Result v = Subprocess.run(List.of(dciodvfy.toString(), dcm.toString()), dir, Map.of(),
                Duration.ofMinutes(1));
        String verdict = v.stdout() + v.stderr();
        assertFalse(verdict.contains("Error"), dcm + ":\n" + verdict);
    }

    static Path onPath(String program, String install) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program);
            }
        }
        return fail(program + " is not installed: run `" + install + "`");
    }

    /**
     * Chromium (Debian's, headless) loads the page: after the load event every image has decoded (the page's script
     * writes loaded/total on body) and the score is in the rendered DOM. No Chromium: fail with the install command.
     */
    static void browserShowsScore(Path html, int score) throws Exception {
        browserShowsScore(html, score, dir);
    }

    /** The same, with Chromium's profile in a folder of {@code work}. */
    static void browserShowsScore(Path html, int score, Path work) throws Exception {
        Path chromium = onPath("chromium", "bin/setup/install-debian-programs.sh . (apt-get install -y chromium)");
        Path profile = Files.createTempDirectory(work, "chromium-");
        Subprocess.Result r = Subprocess.run(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                html.toUri().toString()), work, Map.of(), Duration.ofMinutes(2));
        assertEquals(0, r.exit(), r.describe());
        String dom = r.stdout();
        assertTrue(dom.contains("data-images=\"1/1\""), "images not all decoded: "
                + dom.substring(0, Math.min(400, dom.length())));
        assertTrue(dom.contains("ASPECTS " + score + "</span>"), "score not shown");
        assertTrue(dom.contains("Research use only, not a medical device"));
    }

    static Path single(Path folder, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> hits = s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, hits.size(), suffix + " in " + folder + ": " + hits);
            return hits.get(0);
        }
    }
}
