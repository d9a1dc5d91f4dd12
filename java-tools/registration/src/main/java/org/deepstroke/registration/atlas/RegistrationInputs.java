package org.deepstroke.registration.atlas;

import java.io.IOException;
import java.nio.file.Path;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.image.ops.GaussianSmoothing;

/**
 * The two CT templates as antsRegistration sees them: brain window applied ({@link HuClip}), then each smoothed
 * down to the other's resolution where it is finer. Rorden's 1 mm MNI CT template is sharp, the 2 mm template an
 * average of many scans; unsmoothed, CC matched noise and small sulci (measured on the shared templates: correlation
 * after registration 0.69, lateral-ventricle overlap with the template's labels 0.22; smoothed 0.77 and 0.56).
 */
public record RegistrationInputs(Path fixed, Path moving, double[] fixedSigmaMm, double[] movingSigmaMm) {

    public static RegistrationInputs prepare(ImageVolume fixed, ImageVolume moving, HuClip window, Path dir)
            throws IOException {
        double[] fixedSigma = GaussianSmoothing.sigmaToMatch(fixed, moving);
        double[] movingSigma = GaussianSmoothing.sigmaToMatch(moving, fixed);
        Path fixedFile = dir.resolve("template_prepared.nii.gz");
        Path movingFile = dir.resolve("atlas_template_prepared.nii.gz");
        NiftiWriter.write(GaussianSmoothing.smooth(window.apply(fixed), fixedSigma), fixedFile, NiftiDatatype.FLOAT32);
        NiftiWriter.write(GaussianSmoothing.smooth(window.apply(moving), movingSigma), movingFile,
                NiftiDatatype.FLOAT32);
        return new RegistrationInputs(fixedFile, movingFile, fixedSigma, movingSigma);
    }
}
