package org.deepstroke.unet.data;

import org.deepstroke.core.aspects.AspectsRegion;

/**
 * The network's two class schemes over the platform's ASPECTS label ids ({@link AspectsRegion}: 1..10 left,
 * 11..20 right): 21 classes (lateralised, ids unchanged) or 11 (hemispheres merged: right id - 10).
 */
public final class LabelScheme {

    private LabelScheme() {
    }

    public static int toClass(int id, int classes) {
        if (id < 0 || id > AspectsRegion.all().size()) {
            throw new IllegalArgumentException("label id " + id + " outside 0.." + AspectsRegion.all().size());
        }
        return classes == 11 && id > AspectsRegion.perSide() ? id - AspectsRegion.perSide() : id;
    }

    /** Left ids 1..10 become right 11..20 and back; background stays 0. */
    public static int swapHemisphere(int id) {
        return id == 0 ? 0 : AspectsRegion.ofId(id).mirrored().id();
    }

    /** A class name: background, the region key (C_L ... M6_R), or the code (C ... M6) for merged classes. */
    public static String className(int c, int classes) {
        if (c == 0) {
            return "background";
        }
        AspectsRegion region = AspectsRegion.ofId(c);
        return classes == 11 ? region.code() : region.key();
    }
}
