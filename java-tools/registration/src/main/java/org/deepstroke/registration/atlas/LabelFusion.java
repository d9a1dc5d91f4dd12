package org.deepstroke.registration.atlas;

import java.util.EnumMap;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.ImageVolume;

/**
 * Fuses per-region memberships on the target grid into one label map: each voxel takes the region of highest
 * membership if that membership is at least {@link #THRESHOLD}; ties go to the lowest id, so the result does not
 * depend on anything but the memberships. Regions are added one at a time, so only two volumes stay in memory.
 */
public final class LabelFusion {

    /** A voxel belongs to a region when at least half of it (after interpolation) does. */
    public static final float THRESHOLD = 0.5f;

    private final ImageVolume grid;
    private final float[] best;
    private final byte[] label;
    private int lastId;

    public LabelFusion(ImageVolume grid) {
        this.grid = grid;
        this.best = new float[grid.size()];
        this.label = new byte[grid.size()];
    }

    /** Adds one region's membership; regions must come in increasing id order (the tie rule relies on it). */
    public void add(AspectsRegion region, ImageVolume membership) {
        if (region.id() <= lastId) {
            throw new IllegalStateException("regions must be added in increasing id order: " + region.id()
                    + " after " + lastId);
        }
        if (!membership.sameGrid(grid, 1e-4)) {
            throw new IllegalArgumentException(region.key() + ": membership is not on the target grid");
        }
        lastId = region.id();
        float[] m = membership.data();
        for (int i = 0; i < m.length; i++) {
            // Strictly greater: an equal membership keeps the earlier (lower) id.
            if (m[i] >= THRESHOLD && m[i] > best[i]) {
                best[i] = m[i];
                label[i] = (byte) region.id();
            }
        }
    }

    /** The label map (0 = no region) on the target grid, in its world space. */
    public ImageVolume labels() {
        float[] out = new float[label.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = label[i];
        }
        return grid.withData(out);
    }

    /** Voxels per region in the fused map (regions without voxels count 0). */
    public Map<AspectsRegion, Long> voxelCounts() {
        long[] counts = new long[AspectsRegion.values().length + 1];
        for (byte b : label) {
            counts[b]++;
        }
        Map<AspectsRegion, Long> result = new EnumMap<>(AspectsRegion.class);
        for (AspectsRegion r : AspectsRegion.all()) {
            result.put(r, counts[r.id()]);
        }
        return result;
    }
}
