package org.deepstroke.core.params;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the pipeline's real schema, params/schema.json. */
class ParamsValidatorTest {

    @TempDir
    Path dir;

    private List<String> validate(String json) throws Exception {
        return new ParamsValidator(ProjectPaths.root().resolve("params/schema.json"))
                .validate(new ObjectMapper().readTree(json));
    }

    @Test
    void validParamsPass() throws Exception {
        assertEquals(List.of(), validate("{\"template\": \"a.nii.gz\", \"outdir\": \"results\"}"));
    }

    @Test
    void unknownParamsAreNamedWithASuggestion() throws Exception {
        assertEquals(List.of("--out_dir: unknown parameter (did you mean --outdir?)"),
                validate("{\"template\": \"x\", \"out_dir\": \"r\"}"));
        assertEquals(List.of("--sharedData: unknown parameter (did you mean --shared_data?)"),
                validate("{\"sharedData\": \"x\"}"));
        assertEquals(List.of("--frobnicate: unknown parameter"), validate("{\"frobnicate\": 1}"));
    }

    @Test
    void wrongTypesAreNamed() throws Exception {
        assertEquals(List.of("--phantom_subjects: string found, integer expected"), validate("{\"phantom_subjects\": \"two\"}"));
        assertEquals(List.of("--outdir: must be at least 1 characters long"), validate("{\"outdir\": \"\"}"));
    }

    @Test
    void yamlParamsFilesAreRead() throws Exception {
        Path yaml = dir.resolve("cohort.yaml");
        Files.writeString(yaml, "dicom_roots: [\"/data/pacs1\", \"/data/pacs2\"]\noutdir: out\nphantom_subjects: 0\n");
        assertEquals(List.of(), new ParamsValidator(ProjectPaths.root().resolve("params/schema.json"))
                .validate(ParamsValidator.read(yaml)));
    }
}
