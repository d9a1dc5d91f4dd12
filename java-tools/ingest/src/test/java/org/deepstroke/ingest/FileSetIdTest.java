package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deepstroke.ingest.scan.FileSetId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * File-set ids come from the DICOMDIR's bytes, not from the order of the roots: adding or reordering roots leaves
 * every series' file list byte for byte (what lets a pipeline -resume rerun only a new subject's conversions); a
 * root given twice (same DICOMDIR) is read once; readers take the roots as ID=DIR.
 */
class FileSetIdTest {

    @TempDir
    static Path dir;
    static Path key;
    static Path cohort;

    @BeforeAll
    static void prepare() throws Exception {
        key = IngestTesting.keyFile(dir);
        cohort = SyntheticCohort.generate(dir, key, 1).resolve("dicom");
    }

    /** series -> file_sets, and series -> .files content. */
    static Map<String, String> lists(Path scan, Map<String, String> fileSets) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, String> r : IngestTesting.manifest(scan)) {
            fileSets.put(r.get("series"), r.get("file_sets"));
            out.put(r.get("series"), Files.readString(scan.resolve(r.get("files"))));
        }
        return out;
    }

    @Test
    void idsAndFileListsDoNotDependOnRootOrderAndDuplicatesAreReadOnce() throws Exception {
        Path alone = dir.resolve("alone");
        IngestTesting.scan(alone, key, "--input", IngestTesting.philips().toString());
        Path again = Files.createSymbolicLink(dir.resolve("philips-again"), IngestTesting.philips());
        Path both = dir.resolve("both");
        IngestTesting.scan(both, key, "--input", cohort + "," + IngestTesting.philips() + "," + again);

        Map<String, String> setsAlone = new TreeMap<>();
        Map<String, String> setsBoth = new TreeMap<>();
        Map<String, String> listsAlone = lists(alone, setsAlone);
        Map<String, String> listsBoth = lists(both, setsBoth);
        String philipsId = FileSetId.of(IngestTesting.philips());
        assertTrue(philipsId.matches("fs-[0-9a-f]{12}"), philipsId);
        assertEquals(9, setsAlone.size());
        for (String series : setsAlone.keySet()) {
            assertEquals(philipsId, setsAlone.get(series), series);
            assertEquals(philipsId, setsBoth.get(series), series);
            assertEquals(listsAlone.get(series), listsBoth.get(series), series + ": file list changed by adding a root");
        }
        String cohortId = FileSetId.of(cohort);
        assertTrue(setsBoth.values().stream().filter(cohortId::equals).count() >= 1, setsBoth.toString());
        assertEquals(9, setsBoth.values().stream().filter(philipsId::equals).count(), "the repeated root adds nothing");

        JsonNode roots = new ObjectMapper().readTree(both.resolve("scan-report.json").toFile()).get("roots");
        assertEquals(List.of(cohortId, philipsId, philipsId),
                List.of(roots.get(0).get("id").asText(), roots.get(1).get("id").asText(), roots.get(2).get("id").asText()));
        assertEquals("duplicate", roots.get(2).get("kind").asText());
        assertEquals(2, roots.get(2).get("duplicate_of_root").asInt());
    }

    @Test
    void readersTakeRootsByIdAndNameAMissingOne() throws Exception {
        Path scan = dir.resolve("scan");
        IngestTesting.scan(scan, key, "--input", IngestTesting.philips() + "," + cohort);
        String cohortId = FileSetId.of(cohort);
        Map<String, String> row = IngestTesting.manifest(scan).stream()
                .filter(r -> r.get("decision").equals("accepted") && r.get("file_sets").equals(cohortId))
                .findFirst().orElseThrow();
        Path files = scan.resolve(row.get("files"));
        Path nii = dir.resolve("by-id.nii.gz");
        // only the root this series lies in, by id (what the pipeline's DICOM_TO_NIFTI gets)
        Result ok = IngestTesting.tool("dicom-to-nifti", "--files", files.toString(), "--root",
                row.get("file_sets") + "=" + cohort, "--output", nii.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(Files.size(nii) > 0);
        Result wrong = IngestTesting.tool("dicom-to-nifti", "--files", files.toString(), "--root",
                IngestTesting.philips().toString(), "--output", dir.resolve("wrong.nii.gz").toString());
        assertEquals(2, wrong.exit(), wrong.err());
        assertTrue(wrong.err().contains("names file-set " + row.get("file_sets") + " but no --root has that id"),
                wrong.err());
    }
}
