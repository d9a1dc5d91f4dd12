package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** params/*.yaml validate against params/schema.json through `deepstroke validate-params`, as users run them. */
class ParamsFilesTest {

    static Subprocess.Result validate(Path params) {
        Path root = ProjectPaths.root();
        return Subprocess.run(List.of(root.resolve("bin/deepstroke").toString(), "validate-params", "--schema",
                root.resolve("params/schema.json").toString(), "--params", params.toString()), Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"test.yaml", "demo.yaml", "hospital-template.yaml"})
    void paramsFileIsValid(String name) {
        Subprocess.Result r = validate(ProjectPaths.root().resolve("params").resolve(name));
        assertEquals(0, r.exit(), r.describe());
        assertEquals("parameters valid\n", r.stdout());
    }

    @Test
    void aTypoInACopiedTemplateIsNamed(@TempDir Path dir) throws Exception {
        String template = Files.readString(ProjectPaths.root().resolve("params/hospital-template.yaml"));
        Path copy = dir.resolve("my-cohort.yaml");
        Files.writeString(copy, template.replace("atlas_preset: fast", "atlas_presets: fast")
                .replace("gpus: 1", "gpus: 0"));
        Subprocess.Result r = validate(copy);
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.stderr().contains("invalid parameter --atlas_presets: unknown parameter (did you mean --atlas_preset?)"),
                r.stderr());
        assertTrue(r.stderr().contains("invalid parameter --gpus:"), r.stderr());
    }

    @Test
    void testParamsFileDrivesTheWholePipeline(@TempDir Path dir) throws Exception {
        // -stub-run: the wiring with params/test.yaml's values. Its paths are relative to the checkout's root; the
        // launch folder mirrors that layout (params/ and ../shared linked) so that the run leaves no .nextflow
        // history or log in the checkout itself.
        Path root = ProjectPaths.root();
        Path launchDir = Files.createDirectories(dir.resolve("checkout"));
        Files.createSymbolicLink(launchDir.resolve("params"), root.resolve("params"));
        Files.createSymbolicLink(dir.resolve("shared"), root.resolve("../shared").normalize());
        Subprocess.Result r = Nextflow.run().in(launchDir).args("-params-file", "params/test.yaml", "-stub-run")
                .outdir("results").work("work").execute(Duration.ofMinutes(5));
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.stdout().contains("PHANTOM (3 subjects, seed 1)"), r.stdout());
        assertTrue(Files.isRegularFile(launchDir.resolve("results/reports/summary.html")));
    }
}
