package org.deepstroke.registration.register;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.atlas.AtlasQcImage;

/**
 * How good a registration looks without ground truth: folding (the minimum Jacobian determinant of the SyN warp
 * inside the atlas brain; <= 0 means the warp folds), the normalised cross-correlation of the warped CT with the atlas
 * inside the brain, and a picture of the atlas labels' outlines over the warped CT.
 */
final class RegistrationQc {

    /** The numbers of registration_qc.json. */
    record Measures(double minJacobian, double foldedFraction, double ncc, long brainVoxels) {
    }

    private RegistrationQc() {
    }

    /** Jacobian determinant of {@code warp} (written to {@code jacobianFile}) and NCC of the warped image. */
    static Measures measure(Ants ants, Path warp, ImageVolume warpRegion, Path jacobianFile, ImageVolume warped,
            ImageVolume fixed, ImageVolume fixedRegion, Path log, int threads) throws IOException,
            InterruptedException {
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
        return new Measures(n == 0 ? Double.NaN : min, n == 0 ? Double.NaN : (double) folded / n, ncc, brain);
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
    static void writePicture(ImageVolume warped, ImageVolume outlines, String title, Path png) throws IOException {
        AtlasQcImage.write(AtlasQcImage.render(warped, outlines, title), png);
    }
}
