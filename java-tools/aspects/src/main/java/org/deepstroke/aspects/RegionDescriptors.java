package org.deepstroke.aspects;

import org.deepstroke.core.aspects.AspectsRegion;

/**
 * What is measured in one hemisphere-region: its volume (every labelled voxel) and, over the voxels inside the
 * parenchymal window, HU statistics and GLCM texture. Statistics are NaN when no voxel lies in the window.
 *
 * @param skewness bias-corrected sample skewness (Apache Commons Math)
 * @param p10 percentiles (Commons Math's default estimator)
 */
public record RegionDescriptors(AspectsRegion region, long voxels, double volumeMl, long windowVoxels, double mean,
        double median, double sd, double skewness, double p10, double p25, double p75, double p90,
        double glcmContrast, double glcmHomogeneity, double glcmEntropy) {

    /** True when the region is present with at least one voxel in the window. */
    public boolean measured() {
        return windowVoxels > 0 && !Double.isNaN(mean);
    }
}
