package org.deepstroke.registration.atlas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;

/**
 * Moves the atlas regions from the anatomy they were drawn on to the anatomy of the atlas CT template, when the two
 * share a coordinate system but not the anatomy: the public ASPECTS masks were drawn on FSL's MNI152 T1 (the
 * nonlinear 6th-generation average), while Rorden's CT template, though also "MNI", was normalised elsewhere and
 * its lentiform nuclei lie ~3 mm lower and 1-3 mm further forward (measured by where the masks' grey-matter
 * contrast peaks on the CT). Registering the masks' own MR template onto the CT template (rigid + affine, Mattes MI,
 * so MR to CT is fine) measures that difference from the images instead of guessing it.
 *
 * <p>Affine only, by measurement (Dice L/R against the 2 mm target template's own labels, fast preset; see
 * AtlasToolTest): the affine correction raised the lentiform from 0.63/0.64 to 0.70-0.71 (two runs; caudate
 * 0.60/0.59 to 0.57/0.64). A SyN stage with MI after it moved the lentiform further (0.74/0.72 with coarse levels only, 0.74/0.74
 * with all) but pulled the caudate masks into the older CT template's wider ventricles (0.41/0.49 and 0.21/0.28).
 * FSL's MNI152 and SPM's avg152T1 differ by less than 0.5 mm (affine, T1 to T1), so the offset is Rorden's CT
 * template's own anatomy, not the difference between the two "MNI" spaces.
 */
public final class SpaceCorrection {

    /** The affine from the MR template to the atlas CT template, and how it was made. */
    public record Result(Path affine, String commandLine, Duration elapsed) {

        /** antsApplyTransforms arguments, to be listed after the CT-to-target transforms (applied first). */
        public List<String> forwardTransforms() {
            return List.of("--transform", affine.toString());
        }
    }

    private final Ants ants;
    private final int threads;
    private final long seed;

    public SpaceCorrection(Ants ants, int threads, long seed) {
        this.ants = ants;
        this.threads = threads;
        this.seed = seed;
    }

    /**
     * Registers {@code mrTemplate} (moving) onto {@code atlasCtTemplate} (fixed, HU; brain window applied here, as for
     * the CT-to-CT registration) and returns the affine {@code <prefix>0GenericAffine.mat}.
     */
    public Result run(ImageVolume atlasCtTemplate, Path mrTemplate, Path prefix, Path scratch, Path log)
            throws IOException, InterruptedException {
        Path fixed = scratch.resolve("atlas_template_brain_window.nii.gz");
        NiftiWriter.write(HuWindow.BRAIN.apply(atlasCtTemplate), fixed, NiftiDatatype.FLOAT32);
        NiftiReader.readHeader(mrTemplate); // fail early, naming the file, if it is no NIfTI
        Path warped = Path.of(prefix + "warped.nii.gz");
        List<String> args = new java.util.ArrayList<>(RegistrationPreset.linearStages(fixed, mrTemplate, seed));
        args.addAll(List.of("--output", "[" + prefix + "," + warped + "]"));
        ExternalCommand command = ants.command("antsRegistration", args, threads, seed).log(log)
                .timeout(TemplateRegistration.TIMEOUT);
        ExternalCommand.Result result = command.run();
        Path affine = Path.of(prefix + "0GenericAffine.mat");
        if (!Files.isRegularFile(affine)) {
            throw new IOException("antsRegistration succeeded but did not write " + affine + "; log " + log);
        }
        Files.deleteIfExists(warped);
        return new Result(affine, command.commandLine(), result.elapsed());
    }
}
