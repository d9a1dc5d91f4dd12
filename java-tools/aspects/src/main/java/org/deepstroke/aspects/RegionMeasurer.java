package org.deepstroke.aspects;

import java.util.EnumMap;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.aspects.AspectsRegion;

/**
 * Measures the 20 hemisphere-regions of a native CT (HU) given a lateralized ASPECTS label map on the same grid
 * (ids 1..20 of {@link AspectsRegion}; other ids are ignored).
 */
public final class RegionMeasurer {

    /** GLCM grey levels: 2 HU bins over 10..60 HU, the span of grey and white matter with early ischaemic change. */
    public static final Glcm DEFAULT_GLCM = new Glcm(10, 60, 25);

    private final HuInclusionRange window;
    private final Glcm glcm;

    public RegionMeasurer(HuInclusionRange window, Glcm glcm) {
        this.window = window;
        this.glcm = glcm;
    }

    public HuInclusionRange window() {
        return window;
    }

    public Map<AspectsRegion, RegionDescriptors> measure(ImageVolume ct, ImageVolume labels) {
        if (!labels.sameGrid(ct, 1e-2)) {
            throw new IllegalArgumentException("labels and CT are on different grids (use LabelGrid.onGridOf)");
        }
        double[] s = ct.spacing();
        double voxelMl = s[0] * s[1] * s[2] / 1000.0;
        float[] hu = ct.data();
        float[] lab = labels.data();
        int n = hu.length;
        long[] voxels = new long[21];
        int[] inWindow = new int[21];
        for (int i = 0; i < n; i++) {
            int id = Math.round(lab[i]);
            if (id >= 1 && id <= 20) {
                voxels[id]++;
                if (window.contains(hu[i])) {
                    inWindow[id]++;
                }
            }
        }
        double[][] values = new double[21][];
        for (int id = 1; id <= 20; id++) {
            values[id] = new double[inWindow[id]];
        }
        int[] filled = new int[21];
        for (int i = 0; i < n; i++) {
            int id = Math.round(lab[i]);
            if (id >= 1 && id <= 20 && window.contains(hu[i])) {
                values[id][filled[id]++] = hu[i];
            }
        }
        Map<AspectsRegion, RegionDescriptors> out = new EnumMap<>(AspectsRegion.class);
        boolean[] member = new boolean[n];
        for (AspectsRegion region : AspectsRegion.values()) {
            int id = region.id();
            DescriptiveStatistics d = new DescriptiveStatistics(values[id]);
            Glcm.Features texture = new Glcm.Features(Double.NaN, Double.NaN, Double.NaN, 0);
            if (inWindow[id] > 0) {
                for (int i = 0; i < n; i++) {
                    member[i] = Math.round(lab[i]) == id && window.contains(hu[i]);
                }
                texture = glcm.compute(hu, member, ct.nx(), ct.ny(), ct.nz());
            }
            boolean any = inWindow[id] > 0;
            out.put(region, new RegionDescriptors(region, voxels[id], voxels[id] * voxelMl, inWindow[id],
                    any ? d.getMean() : Double.NaN, any ? d.getPercentile(50) : Double.NaN,
                    any ? d.getStandardDeviation() : Double.NaN, any ? d.getSkewness() : Double.NaN,
                    any ? d.getPercentile(10) : Double.NaN, any ? d.getPercentile(25) : Double.NaN,
                    any ? d.getPercentile(75) : Double.NaN, any ? d.getPercentile(90) : Double.NaN,
                    texture.contrast(), texture.homogeneity(), texture.entropy()));
        }
        return out;
    }
}
