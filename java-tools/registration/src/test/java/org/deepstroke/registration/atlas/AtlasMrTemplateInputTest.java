package org.deepstroke.registration.atlas;

import org.deepstroke.core.io.ArchivedFile;
import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/**
 * The atlas MR template input: a plain file or an entry of a zip archive (the pinned wheel), and the tool's usage
 * rules for it. Bad input fails with one line naming the file and the reason.
 */
class AtlasMrTemplateInputTest {

    @TempDir
    Path dir;

    @Test
    void aWheelEntryIsTheSameFileAsTheTemplateItHolds() throws Exception {
        Path wheel = LabelMaps.mrTemplateWheel();
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path extracted = new ArchivedFile(wheel, LabelMaps.MR_TEMPLATE_ENTRY).materialise(scratch);
        ImageVolume t1 = NiftiReader.read(extracted);
        // FSL's MNI152_T1_1mm_brain: the FSL MNI152 grid the ASPECTS masks use (182 x 218 x 182, 1 mm).
        assertArrayEquals(new int[] {182, 218, 182}, t1.dims());
        ImageVolume mask = NiftiReader.read(
                org.deepstroke.core.testing.ProjectPaths.sharedFile("atlas/aspects-regions-mni/MNI152_LN_L.nii.gz"));
        assertTrue(t1.sameGrid(mask, 1e-6), "the masks' grid: " + t1.voxelToWorld() + " vs " + mask.voxelToWorld());
        assertEquals("422cebe0f02d86f7320261fa0de0557f1eb4ca5fbd65cc76ab8685ea9b9bd6c8", AtlasReport.sha256(wheel));
        Path plain = dir.resolve("plain.nii.gz");
        Files.copy(extracted, plain);
        assertEquals(plain, new ArchivedFile(plain, null).materialise(scratch), "a plain file is used as it is");
    }

    @Test
    void aMissingEntryOrANonArchiveFailsNamingTheFile() throws Exception {
        Path zip = dir.resolve("templates.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("data/other.nii.gz"));
            z.write(new byte[] {1, 2, 3});
            z.closeEntry();
        }
        ToolFailure missing = assertThrows(ToolFailure.class,
                () -> new ArchivedFile(zip, "data/t1.nii.gz").materialise(dir));
        assertTrue(missing.oneLine().startsWith(zip + ": ") && missing.oneLine().contains("data/t1.nii.gz"),
                missing.oneLine());
        Path notZip = Files.writeString(dir.resolve("t1.nii.gz"), "not an archive");
        ToolFailure bad = assertThrows(ToolFailure.class, () -> new ArchivedFile(notZip, "x").materialise(dir));
        assertTrue(bad.oneLine().startsWith(notZip + ": ") && bad.oneLine().contains("not a zip archive"),
                bad.oneLine());
    }

    @Test
    void theMrTemplateAndTheAtlasCtTemplateAreTwoRoutesNotOne() throws Exception {
        Path template = org.deepstroke.core.testing.ProjectPaths.sharedFile(
                "atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        Path masks = org.deepstroke.core.testing.ProjectPaths.sharedFile("atlas/aspects-regions-mni");
        Result run = deepstroke("atlas", "--template", template.toString(), "--atlas-masks",
                masks.toString(), "--atlas-template", template.toString(), "--atlas-mr-template", template.toString(),
                "--output-dir", dir.toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("give --atlas-template or --atlas-mr-template, not both"), run.err());
        Result entryAlone = deepstroke("atlas", "--template", template.toString(), "--atlas-masks",
                masks.toString(), "--atlas-mr-template-entry", "x", "--output-dir", dir.toString());
        assertEquals(2, entryAlone.exit(), entryAlone.err());
        assertTrue(entryAlone.err().contains("--atlas-mr-template-entry needs --atlas-mr-template"), entryAlone.err());
    }
}
