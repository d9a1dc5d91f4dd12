package org.deepstroke.registration.atlas;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.image.ops.GaussianSmoothing;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;

/**
 * Registers the MR template the regions were drawn on (FSL's MNI152 T1 for the public ASPECTS masks) straight onto
 * the target CT template, instead of going through a CT template in the atlas space.
 *
 * <p>Why not through Rorden's MNI CT template: it averages an older population (mean age 65) whose lateral ventricles
 * are much wider than the MNI152's. Regions that fit the MNI152 anatomy, carried CT-to-CT from there, land partly in
 * the target's ventricles: a caudate snapped to the MNI152's own grey matter ({@link GreyNucleusSnap}) reached Dice
 * 0.44/0.52 against the target's caudate that way, 0.76/0.81 this way (fast preset; AtlasToolTest and the note).
 *
 * <p>How: the T1 is split into CSF, grey and white matter (Atropos k-means, 3 classes, inside the template's nonzero
 * brain), the classes become a pseudo-CT (typical NCCT values, smoothed 1 mm), and one SyN is driven by two metrics on
 * the same anatomy: Mattes MI between the CT and the T1 (weight 0.85; modality-blind, it aligns every edge) and CC
 * between the CT and the pseudo-CT (0.15; it holds the CSF spaces and the deep nuclei to CT-like contrast). Measured
 * against the target's own labels (Dice caudate L/R, lentiform L/R, with the caudate snapped): MI alone 0.76/0.79,
 * 0.66/0.67; CC on the pseudo-CT alone 0.54/0.59, 0.72/0.74; 0.7 + 0.3: 0.69/0.72, 0.85/0.84; 0.85 + 0.15:
 * 0.76/0.81, 0.75/0.76 (chosen: the bar is per structure).
 */
public final class MrTemplateRoute {

    /** Pseudo-CT value per Atropos class (1 CSF, 2 grey, 3 white matter for a T1): typical NCCT brain HU. */
    static final float[] CLASS_HU = {0f, 12f, 37f, 30f};
    static final double PSEUDO_CT_SIGMA_MM = 1.0;
    static final double MI_WEIGHT = 0.85;
    static final double CC_WEIGHT = 0.15;

    /** The registration, the images it saw, and the MR template's tissue classes (on the MR template's grid). */
    public record Result(TemplateRegistration.Result registration, RegistrationInputs inputs, ImageVolume tissue,
            String atroposCommand, Duration atroposElapsed) {
    }

    private final Ants ants;
    private final RegistrationPreset preset;
    private final int threads;
    private final long seed;

    public MrTemplateRoute(Ants ants, RegistrationPreset preset, int threads, long seed) {
        this.ants = ants;
        this.preset = preset;
        this.threads = threads;
        this.seed = seed;
    }

    /** Registers {@code mrTemplate} (moving) onto {@code template} (fixed, a CT template in HU). */
    public Result run(ImageVolume template, Path mrTemplate, AtlasOutputs out)
            throws IOException, InterruptedException {
        ImageVolume mr = NiftiReader.read(mrTemplate); // fails naming the file if it is no NIfTI
        Path scratch = out.scratch();
        Path mask = scratch.resolve("mr_template_mask.nii.gz");
        NiftiWriter.write(mr.withData(brainMask(mr.data())), mask, NiftiDatatype.UINT8);

        Path tissueFile = scratch.resolve("mr_template_tissue.nii.gz");
        ExternalCommand atropos = ants.command("Atropos", List.of("--image-dimensionality", "3", "--verbose", "1",
                "--intensity-image", mrTemplate.toString(), "--mask-image", mask.toString(),
                "--initialization", "KMeans[3]", "--convergence", "[5,0]", "--mrf", "[0.1,1x1x1]",
                "--output", tissueFile.toString()), threads, seed).log(out.mrTissueLog())
                .timeout(Duration.ofMinutes(30));
        ExternalCommand.Result atroposRun = atropos.run();
        ImageVolume tissue = NiftiReader.read(tissueFile);
        // Reused by the snap and saved for QC: the classes the deep nuclei were snapped to.
        NiftiWriter.write(tissue, out.mrTissue(), NiftiDatatype.UINT8);

        Path fixed = scratch.resolve("template_prepared.nii.gz");
        Path pseudoCt = scratch.resolve("mr_template_pseudo_ct.nii.gz");
        NiftiWriter.write(HuClip.BRAIN.apply(template), fixed, NiftiDatatype.FLOAT32);
        double[] sigma = {PSEUDO_CT_SIGMA_MM, PSEUDO_CT_SIGMA_MM, PSEUDO_CT_SIGMA_MM};
        NiftiWriter.write(GaussianSmoothing.smooth(pseudoCt(tissue), sigma), pseudoCt, NiftiDatatype.FLOAT32);

        List<String> stages = new ArrayList<>(RegistrationPreset.linearStages(fixed, mrTemplate, seed));
        stages.addAll(preset.synStage(List.of(
                "MI[" + fixed + "," + mrTemplate + "," + MI_WEIGHT + ",32]",
                "CC[" + fixed + "," + pseudoCt + "," + CC_WEIGHT + ",2]")));
        TemplateRegistration.Result registration = new TemplateRegistration(ants, preset, threads, seed)
                .run(stages, out.transformPrefix(), out.registrationLog());
        return new Result(registration, new RegistrationInputs(fixed, pseudoCt, new double[3], sigma), tissue,
                atropos.commandLine(), atroposRun.elapsed());
    }

    /** The MR template's brain: its nonzero voxels (the public templates are skull-stripped, background 0). */
    static float[] brainMask(float[] mr) {
        float[] mask = new float[mr.length];
        for (int i = 0; i < mr.length; i++) {
            mask[i] = mr[i] > 0 ? 1 : 0;
        }
        return mask;
    }

    /** Tissue classes to HU ({@link #CLASS_HU}); 0 outside the brain, like the windowed CT template. */
    static ImageVolume pseudoCt(ImageVolume tissue) {
        float[] classes = tissue.data();
        float[] hu = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            int c = Math.round(classes[i]);
            hu[i] = c >= 1 && c < CLASS_HU.length ? CLASS_HU[c] : 0f;
        }
        return tissue.withData(hu);
    }
}
