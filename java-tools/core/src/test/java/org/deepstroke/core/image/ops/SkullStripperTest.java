package org.deepstroke.core.image.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.Test;

/** On the CT template with skull, against the template's own skull-stripped version. */
class SkullStripperTest {

    @Test
    void templateBrainIsRecovered() {
        ImageVolume withSkull = NiftiReader.read(ProjectPaths.sharedFile(
                "atlas/ct-template-muschelli-2mm/template_with_skull_2mm.nii.gz"));
        ImageVolume brain = NiftiReader.read(ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz"));
        // The template stores air as 0 HU; a scanner writes about -1000. Restore that, or air would pass the window.
        float[] hu = withSkull.data().clone();
        for (int i = 0; i < hu.length; i++) {
            if (hu[i] == 0f) {
                hu[i] = -1000f;
            }
        }
        long start = System.nanoTime();
        boolean[] mask = new SkullStripper(SkullStripper.Parameters.defaults()).brainMask(withSkull.withData(hu));
        double seconds = (System.nanoTime() - start) / 1e9;
        // The skull-stripped template's support reaches into the skull by partial volume (12% of its voxels read
        // over 100 HU in the image with skull), so the brain proper is that support minus bone-dense voxels.
        boolean[] support = new boolean[mask.length];
        boolean[] brainProper = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            support[i] = brain.data()[i] > 0;
            brainProper[i] = support[i] && withSkull.data()[i] <= 100;
        }
        double dice = BinaryMorphology.dice(mask, brainProper);
        double diceSupport = BinaryMorphology.dice(mask, support);
        System.out.printf("skull-strip template: Dice %.4f (brain proper), %.4f (template support) in %.2f s%n",
                dice, diceSupport, seconds);
        assertTrue(dice >= 0.95, "Dice vs brain proper " + dice);
        assertTrue(diceSupport >= 0.93, "Dice vs template support " + diceSupport);
    }
}
