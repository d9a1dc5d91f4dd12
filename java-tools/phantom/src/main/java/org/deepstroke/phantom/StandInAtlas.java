package org.deepstroke.phantom;

import java.io.IOException;
import java.nio.file.Path;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;

/**
 * A stand-in ASPECTS label map for tests and the benchmark while no registered atlas is at hand: 20 boxes placed at
 * fixed fractions of the brain's bounding box (basal-ganglia level: C, L, IC, I, M1-M3; supraganglionic: M4-M6; each
 * side), cut to the brain. Ids as everywhere: left 1..10, right 11..20. Not anatomy: only a plausible layout.
 */
public final class StandInAtlas {

    /** Per structure C, L, IC, I, M1..M6: lateral u (0 midline .. 1 edge), anterior v (0 back .. 1 front) and
     * superior w (0 bottom .. 1 top) ranges as fractions of the brain's bounding box. */
    private static final double[][] BOXES = {
        {0.05, 0.22, 0.58, 0.72, 0.38, 0.50},
        {0.22, 0.42, 0.45, 0.62, 0.38, 0.50},
        {0.12, 0.22, 0.42, 0.58, 0.38, 0.50},
        {0.45, 0.58, 0.42, 0.62, 0.38, 0.50},
        {0.55, 1.00, 0.62, 0.80, 0.38, 0.50},
        {0.60, 1.00, 0.42, 0.62, 0.38, 0.50},
        {0.55, 1.00, 0.22, 0.42, 0.38, 0.50},
        {0.30, 1.00, 0.60, 0.82, 0.58, 0.72},
        {0.30, 1.00, 0.40, 0.60, 0.58, 0.72},
        {0.30, 1.00, 0.20, 0.40, 0.58, 0.72}};

    private StandInAtlas() {
    }

    /** The label map on the grid of {@code brainTemplate} (brain = values > 0). */
    public static ImageVolume make(ImageVolume brainTemplate) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        float[] d = brainTemplate.data();
        double[] w = new double[3];
        for (int z = 0; z < brainTemplate.nz(); z++) {
            for (int y = 0; y < brainTemplate.ny(); y++) {
                for (int x = 0; x < brainTemplate.nx(); x++) {
                    if (d[brainTemplate.index(x, y, z)] > 0) {
                        brainTemplate.voxelToWorld().apply(x, y, z, w);
                        for (int a = 0; a < 3; a++) {
                            lo[a] = Math.min(lo[a], w[a]);
                            hi[a] = Math.max(hi[a], w[a]);
                        }
                    }
                }
            }
        }
        double mid = (lo[0] + hi[0]) / 2;
        double halfWidth = (hi[0] - lo[0]) / 2;
        float[] labels = new float[d.length];
        for (int z = 0; z < brainTemplate.nz(); z++) {
            for (int y = 0; y < brainTemplate.ny(); y++) {
                for (int x = 0; x < brainTemplate.nx(); x++) {
                    int i = brainTemplate.index(x, y, z);
                    if (!(d[i] > 0)) {
                        continue;
                    }
                    brainTemplate.voxelToWorld().apply(x, y, z, w);
                    double u = Math.abs(w[0] - mid) / halfWidth;
                    double v = (w[1] - lo[1]) / (hi[1] - lo[1]);
                    double s = (w[2] - lo[2]) / (hi[2] - lo[2]);
                    boolean left = w[0] < mid; // RAS: +x is the patient's right
                    for (int k = 0; k < BOXES.length; k++) {
                        double[] b = BOXES[k];
                        if (u >= b[0] && u < b[1] && v >= b[2] && v < b[3] && s >= b[4] && s < b[5]) {
                            labels[i] = k + 1 + (left ? 0 : 10);
                            break;
                        }
                    }
                }
            }
        }
        return brainTemplate.withData(labels);
    }

    /** Writes the stand-in label map for the skull-stripped template {@code template} to {@code out}. */
    public static Path write(Path template, Path out) throws IOException {
        NiftiWriter.write(make(NiftiReader.read(template)), out, NiftiDatatype.UINT8);
        return out;
    }
}
