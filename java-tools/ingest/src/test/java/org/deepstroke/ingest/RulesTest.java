package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.ingest.rules.IngestRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesTest {

    @TempDir
    Path dir;

    @Test
    void builtInDefaultsAreParamsIngestRulesYaml() throws Exception {
        byte[] params = Files.readAllBytes(ProjectPaths.root().resolve("params/ingest-rules.yaml"));
        try (InputStream in = IngestRules.class.getResourceAsStream(IngestRules.DEFAULT_RESOURCE)) {
            assertEquals(new String(params), new String(in.readAllBytes()),
                    "keep params/ingest-rules.yaml and the built-in copy identical");
        }
        IngestRules r = IngestRules.defaults();
        assertEquals(0.5, r.scan().sliceThicknessMm().min());
        assertEquals(5.0, r.scan().sliceThicknessMm().max());
        assertEquals("resample", r.convert().variableSpacing());
    }

    @Test
    void overridesMergeAndTyposFail() throws Exception {
        Path o = dir.resolve("o.yaml");
        Files.writeString(o, "scan:\n  slice_thickness_mm: {min: 2.0, max: 6.0}\nconvert:\n  variable_spacing: reject\n");
        IngestRules r = IngestRules.load(o);
        assertEquals(2.0, r.scan().sliceThicknessMm().min());
        assertEquals(20, r.scan().minSlices(), "untouched keys keep their defaults");
        assertEquals("reject", r.convert().variableSpacing());
        Files.writeString(o, "scan:\n  min_slice: 3\n");
        ToolFailure f = assertThrows(ToolFailure.class, () -> IngestRules.load(o));
        assertTrue(f.getMessage().contains("min_slice"), f.getMessage());
        Files.writeString(o, "convert:\n  variable_spacing: maybe\n");
        assertThrows(ToolFailure.class, () -> IngestRules.load(o));
    }

    /** A stricter thickness range in a rules file moves the 1 mm series to rejected. */
    @Test
    void rulesFileDrivesTheScan() throws Exception {
        Path o = dir.resolve("thick.yaml");
        Files.writeString(o, "scan:\n  slice_thickness_mm: {min: 2.0, max: 6.0}\n");
        Path out = dir.resolve("scan");
        IngestTesting.scan(out, IngestTesting.keyFile(dir), "--input", IngestTesting.philips().toString(), "--rules",
                o.toString());
        var rows = IngestTesting.manifest(out);
        var thin = rows.stream().filter(x -> x.get("series_number").equals("202")).findFirst().orElseThrow();
        assertEquals("rejected", thin.get("decision"));
        assertEquals("thickness=1", thin.get("reasons"));
    }
}
