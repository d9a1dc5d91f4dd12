package org.deepstroke.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.testing.HostileInputs;
import org.deepstroke.core.testing.HostileInputs.Case;
import org.deepstroke.core.testing.HostileInputs.Outcome;
import org.deepstroke.core.testing.HostileInputs.Run;
import org.deepstroke.core.testing.InProcessTool;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, fuzz: validate-params on a corpus of broken params files made from the project's own test profile
 * (params/test.yaml, and the same values as JSON): truncations at 40 offsets, 60 bit flips and 30 random byte runs
 * anywhere in the file. Each file is either valid (a truncation at a line end, a flip in a comment) or refused with
 * exit 1/2 and one line naming it, no stack trace, the file unchanged.
 */
class ParamsFuzzTest {

    @TempDir
    Path dir;

    static List<Case> corpus(byte[] valid) {
        List<Case> corpus = new ArrayList<>(HostileInputs.truncations(valid, 40));
        corpus.addAll(HostileInputs.bitFlips(valid, 0, valid.length, 60, 21));
        corpus.addAll(HostileInputs.randomRuns(valid, 0, valid.length, 8, 30, 22));
        return corpus;
    }

    Outcome fuzz(byte[] valid, String suffix) throws Exception {
        Path schema = ProjectPaths.root().resolve("params/schema.json");
        Path valid1 = dir.resolve("valid" + suffix);
        Files.write(valid1, valid);
        InProcessTool.Result ok = InProcessTool.deepstroke("validate-params", "--schema", schema.toString(),
                "--params", valid1.toString());
        assertEquals(0, ok.exit(), "the unbroken file must validate: " + ok.err());
        return HostileInputs.fuzz(corpus(valid), dir.resolve("fuzz" + suffix.replace('.', '-')), suffix, false,
                in -> new Run(InProcessTool.deepstroke("validate-params", "--schema", schema.toString(), "--params",
                        in.toString()), List.of()));
    }

    @Test
    void brokenYamlParamsFailCleanly() throws Exception {
        Outcome o = fuzz(Files.readAllBytes(ProjectPaths.root().resolve("params/test.yaml")), ".yaml");
        // seeds fixed: most changes land in values or keys the schema checks
        assertTrue(o.refused() >= 40, o.toString());
    }

    @Test
    void brokenJsonParamsFailCleanly() throws Exception {
        String json = "{\n  \"outdir\": \"results\",\n  \"registration_preset\": \"quick\",\n"
                + "  \"unet_volume_size\": 16,\n  \"unet_epochs\": 2,\n  \"unet_learning_rate\": 0.01,\n"
                + "  \"phantom_subjects\": 3,\n  \"phantom_seed\": 1,\n  \"phantom_anatomy\": \"mni\"\n}\n";
        Outcome o = fuzz(json.getBytes(StandardCharsets.UTF_8), ".json");
        assertTrue(o.refused() >= 60, o.toString());
    }
}
