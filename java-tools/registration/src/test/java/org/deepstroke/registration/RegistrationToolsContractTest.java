package org.deepstroke.registration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.HostileInputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 for the atlas, registration and overlay tools: an output that is one of the inputs (or lands in the
 * masks' folder) is refused before anything is read or written: exit 2, one line naming the file, inputs unchanged,
 * nothing new on disk. The inputs are tiny placeholders: the guard runs before any of them is opened.
 */
class RegistrationToolsContractTest {

    @TempDir
    static Path dir;
    static Path ct;
    static Path labels;
    static Path transform;
    static Path masks;
    static Path atlasLabelsOut;
    static Path meanOverlay;
    static Path refineWarp;

    @BeforeAll
    static void prepare() throws Exception {
        ImageVolume v = new ImageVolume(4, 4, 4, Affine.identity());
        ct = dir.resolve("s_warped.nii.gz"); // named as register's own output for prefix s_
        labels = dir.resolve("labels.nii.gz");
        NiftiWriter.write(v, ct, NiftiDatatype.INT16);
        NiftiWriter.write(v, labels, NiftiDatatype.UINT8);
        transform = Files.writeString(dir.resolve("s_0GenericAffine.mat"), "not read");
        masks = Files.createDirectories(dir.resolve("masks"));
        NiftiWriter.write(v, masks.resolve("MNI152_C_L.nii.gz"), NiftiDatatype.UINT8);
        // inputs that carry the names of the tools' own outputs
        atlasLabelsOut = dir.resolve("aspects_labels.nii.gz");
        meanOverlay = dir.resolve("mean_overlay.nii.gz");
        refineWarp = dir.resolve("r_0Warp.nii.gz");
        for (Path p : List.of(atlasLabelsOut, meanOverlay, refineWarp)) {
            NiftiWriter.write(v, p, NiftiDatatype.FLOAT32);
        }
    }

    private static void assertRefused(Path named, String reason, String... args) throws Exception {
        HostileInputs.assertRefused(dir, named, reason, args);
    }

    @Test
    void registerNeverWritesOverItsInputs() throws Exception {
        assertRefused(ct, "would overwrite it", "register", "--moving", ct.toString(), "--fixed", labels.toString(),
                "--output-prefix", dir.resolve("s_").toString());
        assertRefused(transform, "would overwrite it", "register", "--moving", labels.toString(), "--fixed",
                labels.toString(), "--atlas-labels", transform.toString(), "--output-prefix",
                dir.resolve("s_").toString());
    }

    @Test
    void applyAndBackProjectNeverWriteOverTheirInputs() throws Exception {
        assertRefused(labels, "would overwrite it", "back-project", "--labels", labels.toString(), "--reference",
                ct.toString(), "--transform", "[" + transform + ",1]", "--output", labels.toString());
        assertRefused(transform, "would overwrite it", "back-project", "--labels", labels.toString(), "--reference",
                ct.toString(), "--transform", "[" + transform + ",1]", "--output", dir.resolve("out.nii.gz").toString(),
                "--stats", transform.toString());
        assertRefused(ct, "would overwrite it", "apply-transforms", "--input", labels.toString(), "--reference",
                ct.toString(), "--transform", transform.toString(), "--output", ct.toString());
        Path txt = dir.resolve("out.txt");
        assertRefused(txt, ".nii or .nii.gz", "apply-transforms", "--input", labels.toString(), "--reference",
                ct.toString(), "--transform", transform.toString(), "--output", txt.toString());
    }

    @Test
    void atlasAndOverlayToolsNeverWriteIntoTheirInputs() throws Exception {
        Path inside = masks.resolve("out");
        assertRefused(inside, "lies inside the input folder", "atlas", "--template", ct.toString(), "--atlas-masks",
                masks.toString(), "--output-dir", inside.toString());
        assertRefused(atlasLabelsOut, "would overwrite it", "atlas", "--template", atlasLabelsOut.toString(),
                "--atlas-masks", masks.toString(), "--output-dir", dir.toString());
        assertRefused(ct, "would overwrite it", "overlay-to-atlas", "--overlay", labels.toString(), "--reference",
                ct.toString(), "--transform", transform.toString(), "--output", ct.toString());
        assertRefused(refineWarp, "would overwrite it", "refine-overlay", "--overlay", ct.toString(),
                "--atlas-labels", refineWarp.toString(), "--output-prefix", dir.resolve("r_").toString());
        assertRefused(meanOverlay, "would overwrite it", "aggregate-overlays", "--overlays", meanOverlay.toString(),
                "--reference", labels.toString(), "--output-dir", dir.toString());
    }
}
