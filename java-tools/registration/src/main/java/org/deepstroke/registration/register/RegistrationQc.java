package org.deepstroke.registration.register;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.ops.BinaryMorphology;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.atlas.AtlasQcImage;

/**
 * How good a registration looks without ground truth: folding (the minimum Jacobian determinant of the SyN warp
 * inside the atlas brain; <= 0 means the warp folds), the overlap of the warped brain with the atlas brain, the
 * normalised cross-correlation of the warped CT with the atlas inside the brain, and a picture of the atlas labels'
 * outlines over the warped CT.
 *
 * <p>Why the overlap and not the NCC decides (measured on the test profile's v2 cohort, seed 1, quick preset; label
 * Dice of the three subjects alike, cortex 0.63-0.82): the NCC was 0.519, 0.204 and 0.058 for three good
 * registrations (1.2, 5 and 4 mm slices; the last a young brain with 4 % CSF, so little for the template's CSF
 * pattern to correlate with), and 0.142, 0.027 and -0.02 for the same scans left at the centre-of-mass start (pose
 * up to 11 deg and head size uncorrected; {@code --linear-iterations 0x0x0 --syn-iterations 0x0}): a failed
 * registration of one subject scored above a good one of another. The brain overlap was 0.969-0.974 for the good
 * registrations and 0.747-0.807 for the failed ones. Read off the warped CT instead of a warped mask (every
 * non-zero voxel), the good ones gave 0.961-0.970, and shifting them 3 mm or turning them 5 deg cost 0.02, 6 mm or
 * 10 deg 0.03-0.04, 10 mm 0.08.
 */
public final class RegistrationQc {

    /** The numbers of registration_qc.json. */
    public record Measures(double minJacobian, double foldedFraction, double ncc, double brainOverlap,
            long brainVoxels) {
    }

    private RegistrationQc() {
    }

    /**
     * Jacobian determinant of {@code warp} (written to {@code jacobianFile}), the NCC of the warped image and the
     * overlap of the warped brain.
     */
    public static Measures measure(Ants ants, Path warp, ImageVolume warpRegion, Path jacobianFile, ImageVolume warped,
            ImageVolume warpedBrain, ImageVolume fixed, ImageVolume fixedRegion, Path log, int threads)
            throws IOException, InterruptedException {
        ants.command("CreateJacobianDeterminantImage", List.of("3", warp.toString(), jacobianFile.toString(), "0",
                "0"), threads, 1).log(log).run();
        ImageVolume jacobian = NiftiReader.read(jacobianFile);
        // The warp's grid is the cropped atlas as ANTs wrote it (float rounding of the header): take the region
        // through world coordinates rather than demanding identical headers.
        ImageVolume region = Interpolation.trilinearOnto(warpRegion, jacobian);
        double min = Double.POSITIVE_INFINITY;
        long folded = 0;
        long n = 0;
        for (int i = 0; i < jacobian.size(); i++) {
            if (region.data()[i] > 0.5) {
                double j = jacobian.data()[i];
                min = Math.min(min, j);
                folded += j <= 0 ? 1 : 0;
                n++;
            }
        }
        double ncc = ncc(warped, fixed, fixedRegion);
        long brain = 0;
        for (float v : fixedRegion.data()) {
            brain += v > 0 ? 1 : 0;
        }
        return new Measures(n == 0 ? Double.NaN : min, n == 0 ? Double.NaN : (double) folded / n, ncc,
                brainOverlap(warpedBrain, fixedRegion), brain);
    }

    /**
     * The brain of a skull-stripped CT as 0/1: its non-zero voxels, enclosed holes filled (CSF at exactly 0 HU is
     * brain; only the stripped background is 0 outside).
     */
    public static ImageVolume brainOf(ImageVolume stripped) {
        boolean[] brain = new boolean[stripped.size()];
        for (int i = 0; i < brain.length; i++) {
            brain[i] = stripped.data()[i] != 0;
        }
        brain = BinaryMorphology.fillHoles(brain, stripped.nx(), stripped.ny(), stripped.nz());
        float[] out = new float[brain.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = brain[i] ? 1f : 0f;
        }
        return stripped.withData(out);
    }

    /**
     * Dice of the warped brain ({@link #brainOf} carried onto the atlas grid with linear interpolation, >= 0.5) with
     * the atlas brain ({@code region} non-zero). The mask is warped, not read off the warped CT: every linear
     * resampling spreads non-zero values by a voxel, which cost a perfect registration 0.05 of overlap.
     */
    static double brainOverlap(ImageVolume warpedBrain, ImageVolume region) {
        if (!warpedBrain.sameGrid(region, 1e-3)) {
            throw new IllegalArgumentException("the brain overlap needs one grid");
        }
        long both = 0;
        long sum = 0;
        for (int i = 0; i < warpedBrain.size(); i++) {
            boolean moving = warpedBrain.data()[i] >= 0.5f;
            boolean fixedBrain = region.data()[i] > 0;
            both += moving && fixedBrain ? 1 : 0;
            sum += (moving ? 1 : 0) + (fixedBrain ? 1 : 0);
        }
        return sum == 0 ? Double.NaN : 2.0 * both / sum;
    }

    /** Pearson correlation of two images on one grid over the voxels where {@code region} is non-zero. */
    static double ncc(ImageVolume a, ImageVolume b, ImageVolume region) {
        if (!a.sameGrid(b, 1e-3) || !a.sameGrid(region, 1e-3)) {
            throw new IllegalArgumentException("NCC needs one grid");
        }
        double sa = 0;
        double sb = 0;
        long n = 0;
        for (int i = 0; i < a.size(); i++) {
            if (region.data()[i] > 0) {
                sa += a.data()[i];
                sb += b.data()[i];
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double ma = sa / n;
        double mb = sb / n;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.size(); i++) {
            if (region.data()[i] > 0) {
                double da = a.data()[i] - ma;
                double db = b.data()[i] - mb;
                ab += da * db;
                aa += da * da;
                bb += db * db;
            }
        }
        return aa == 0 || bb == 0 ? Double.NaN : ab / Math.sqrt(aa * bb);
    }

    /** The QC picture: atlas label outlines (or the atlas brain outline) over the warped CT. */
    public static void writePicture(ImageVolume warped, ImageVolume outlines, String title, Path png)
            throws IOException {
        AtlasQcImage.write(AtlasQcImage.render(warped, outlines, title), png);
    }
}
