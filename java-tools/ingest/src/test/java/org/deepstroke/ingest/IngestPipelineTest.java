package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.deepstroke.ingest.scan.FileSetId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The INGEST subworkflow of main.nf through ./nextflow (a real subprocess): the Philips file-set and a small synthetic
 * cohort as two roots (ids from their DICOMDIRs) -> scan -> one conversion per accepted series, overlay masks -> results/ingest/;
 * then -resume with every task cached. The key comes from the environment only and never reaches a task script.
 *
 * <p>The tools run from jars this test lays out itself (this module's classes + its runtime class path, through
 * DEEPSTROKE_LIB), because the ingest module is tested before dist lays out java-tools/dist/target/lib; so the run
 * is a small harness (src/test/resources/ingest-harness) that includes the project's INGEST subworkflow and modules
 * as they are, without the later stages, whose tools live in other modules. The whole pipeline is tested in dist.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestPipelineTest {

    static final String KEY = "pipeline-test-key-0123456789";

    @TempDir
    static Path dir;
    static Path project;
    static Path lib;
    static Path cohort;
    static Path launch;
    static Path plain;

    @BeforeAll
    static void prepare() throws Exception {
        lib = layOutLib(dir.resolve("lib"));
        Path keyFile = dir.resolve("phantom.key");
        Files.writeString(keyFile, KEY);
        cohort = SyntheticCohort.generate(dir, keyFile, 3);
        launch = Files.createDirectories(dir.resolve("launch"));
        // A plain folder without DICOMDIR (as PACS exports come): the Philips STD 5 mm series under new UIDs.
        plain = dir.resolve("plain-export");
        for (int i = 1; i <= 28; i++) {
            ScanContractTest.rewrite(IngestTesting.philips().resolve("DICOM/S21570/S2010/I" + (i * 10)),
                    plain.resolve("IMG" + i + ".dcm"), "77", "1.2.840.10008.1.2.1");
        }
        project = harness(dir.resolve("harness"));
    }

    /** The harness main.nf and nextflow.config beside symlinks of the project's modules/, bin/ and conf/. */
    static Path harness(Path h) throws IOException {
        Files.createDirectories(h);
        for (String f : List.of("main.nf", "nextflow.config")) {
            try (var in = IngestPipelineTest.class.getResourceAsStream("/ingest-harness/" + f)) {
                Files.copy(in, h.resolve(f));
            }
        }
        Files.createSymbolicLink(h.resolve("modules"), ProjectPaths.root().resolve("modules"));
        Files.createSymbolicLink(h.resolve("bin"), ProjectPaths.root().resolve("bin"));
        Files.createSymbolicLink(h.resolve("conf"), ProjectPaths.root().resolve("conf"));
        return h;
    }

    /** lib/base: a jar of this module's classes and every jar of the test class path (bin/deepstroke's layout). */
    static Path layOutLib(Path root) throws IOException {
        Path base = Files.createDirectories(root.resolve("base"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                Files.createSymbolicLink(base.resolve(p.getFileName()), p.toAbsolutePath());
            } else if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
                // a reactor build puts every module's target/classes here (not jars): one jar per module
                jar(p, base.resolve(p.getParent().getParent().getFileName() + "-under-test.jar"));
            }
        }
        return root;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    static Subprocess.Result nextflow(String... extra) {
        return Nextflow.run(project.resolve("main.nf")).in(launch)
                .param("dicom_roots", IngestTesting.philips() + "," + cohort.resolve("dicom") + "," + plain)
                .param("ingest_rules", ProjectPaths.root().resolve("params/ingest-rules.yaml")).outdir("results")
                .work("work").args(extra).env(Map.of("DEEPSTROKE_LIB", lib.toString(), Pseudonymizer.KEY_ENV, KEY))
                .execute(Duration.ofMinutes(10));
    }

    @Test
    @Order(1)
    void ingestPublishesManifestVolumesAndMasks() throws Exception {
        Subprocess.Result run = nextflow();
        assertEquals(0, run.exit(), run.describe());
        Path ingest = launch.resolve("results/ingest");
        List<Map<String, String>> rows = IngestTesting.manifest(ingest);
        List<Map<String, String>> accepted = rows.stream().filter(r -> r.get("decision").equals("accepted")).toList();
        // Philips: 9 series, 4 accepted, all in its file-set; synthetic: 3 accepted NCCT in the other.
        String philips = FileSetId.of(IngestTesting.philips());
        String synthetic = FileSetId.of(cohort.resolve("dicom"));
        assertEquals(9, rows.stream().filter(r -> r.get("file_sets").equals(philips)).count());
        assertEquals(4, accepted.stream().filter(r -> r.get("file_sets").equals(philips)).count());
        assertEquals(3, accepted.stream().filter(r -> r.get("file_sets").equals(synthetic)).count());
        // Issue 16 item 10: a plain folder is a root too (its id from content), its series converted.
        String plainId = FileSetId.of(plain);
        assertEquals(1, accepted.stream().filter(r -> r.get("file_sets").equals(plainId)).count(), rows.toString());
        for (Map<String, String> r : accepted) {
            Path folder = ingest.resolve(r.get("subject")).resolve(r.get("study"));
            Path nii = folder.resolve(r.get("series") + ".nii.gz");
            assertTrue(Files.isRegularFile(nii), nii.toString());
            assertTrue(Files.isRegularFile(folder.resolve(r.get("series") + ".json")));
            assertEquals(r.get("dims"), String.join("x", java.util.Arrays.stream(NiftiReader.read(nii).dims())
                    .mapToObj(String::valueOf).toList()));
        }
        long withOverlays = rows.stream().filter(r -> (r.get("decision").equals("accepted")
                && r.get("has_overlay").equals("yes")) || r.get("decision").equals("overlay_source")).count();
        long masks;
        try (Stream<Path> s = Files.walk(ingest)) {
            masks = s.filter(p -> p.getFileName().toString().endsWith("_overlay.nii.gz")).count();
        }
        assertEquals(withOverlays, masks);
        assertTrue(Files.isRegularFile(ingest.resolve("scan-report.json")));
        assertTrue(Files.isRegularFile(ingest.resolve("series").resolve(accepted.get(0).get("series") + ".files")));
        String versions = Files.readString(launch.resolve("results/pipeline_info/software_versions.yml"));
        assertTrue(versions.contains("INGEST:DICOMDIR_SCAN") && versions.contains("pixelmed"), versions);
        // The key never reaches a task script or log.
        try (Stream<Path> s = Files.walk(launch.resolve("work"))) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith(".command.")).toList()) {
                assertFalse(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(KEY), f.toString());
            }
        }
    }

    @Test
    @Order(2)
    void resumeCachesEveryTask() {
        Subprocess.Result run = nextflow("-resume");
        assertEquals(0, run.exit(), run.describe());
        assertFalse(run.stdout().contains("Submitted process > INGEST"), run.stdout());
        assertTrue(run.stdout().contains("Cached process > INGEST:DICOM_TO_NIFTI"), run.stdout());
    }
}
