package org.deepstroke.unet.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.ops.SkullStripper;

/**
 * Brings a native CT (and its labels) onto the net grid: crop box from the brain mask (the dataset's, else
 * one computed by the platform's {@link SkullStripper}), CT resampled trilinearly and windowed, labels by
 * nearest neighbour through world coordinates (so labels on another grid than the CT, e.g. tilted truth, work).
 */
public final class SampleLoader {

    private SampleLoader() {
    }

    public record Prepared(NetGrid grid, float[] ct, ImageVolume nativeCt, boolean[] brainMask) {
    }

    /** The CT on the net grid; {@code brainMask} may be null (then it is computed from the CT). */
    public static Prepared prepare(Path ctFile, Path brainMaskFile, int size) {
        ImageVolume ct = NiftiReader.read(ctFile);
        ImageVolume mask;
        if (brainMaskFile != null && Files.isRegularFile(brainMaskFile)) {
            mask = NiftiReader.read(brainMaskFile);
        } else {
            boolean[] m = new SkullStripper(SkullStripper.Parameters.defaults()).brainMask(ct);
            float[] f = new float[m.length];
            for (int i = 0; i < m.length; i++) {
                f[i] = m[i] ? 1f : 0f;
            }
            mask = ct.withData(f);
        }
        NetGrid grid;
        try {
            grid = NetGrid.aroundMask(mask, size);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(brainMaskFile != null ? brainMaskFile : ctFile, "no brain found: " + e.getMessage());
        }
        float[] hu = grid.sampleLinear(ct, -1000f);
        boolean[] nativeMask = null;
        if (mask.sameGrid(ct, 1e-3)) {
            nativeMask = new boolean[mask.size()];
            for (int i = 0; i < nativeMask.length; i++) {
                nativeMask[i] = mask.data()[i] > 0.5f;
            }
        }
        return new Prepared(grid, CtNormalisation.window(hu), ct, nativeMask);
    }

    public static Sample load(String subject, Path ctFile, Path labelsFile, Path brainMaskFile, int size) {
        return load(subject, ctFile, labelsFile, brainMaskFile, null, size);
    }

    /**
     * As {@link #load(String, Path, Path, Path, int)} with a 0/1 lesion mask (null: none), brought onto the net
     * grid by nearest neighbour through world coordinates like the labels.
     */
    public static Sample load(String subject, Path ctFile, Path labelsFile, Path brainMaskFile, Path lesionFile,
            int size) {
        Prepared p = prepare(ctFile, brainMaskFile, size);
        int[] labels = p.grid().sampleLabels(NiftiReader.read(labelsFile));
        for (int v : labels) {
            if (v < 0 || v > 20) {
                throw new ToolFailure(labelsFile, "label id " + v + " outside 0..20");
            }
        }
        int[] lesion = null;
        if (lesionFile != null) {
            lesion = p.grid().sampleLabels(NiftiReader.read(lesionFile));
            for (int v : lesion) {
                if (v != 0 && v != 1) {
                    throw new ToolFailure(lesionFile, "lesion mask value " + v + " is not 0/1");
                }
            }
        }
        return new Sample(subject, size, p.ct(), labels, lesion);
    }
}
