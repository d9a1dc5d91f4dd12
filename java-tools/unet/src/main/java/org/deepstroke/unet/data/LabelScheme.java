package org.deepstroke.unet.data;

/**
 * ASPECTS label ids (platform contract: 1..10 left C, L, IC, I, M1..M6; 11..20 right) and the two class schemes
 * of the network: 21 classes (lateralised, ids unchanged) or 11 (hemispheres merged: right id - 10).
 */
public final class LabelScheme {

    public static final int REGIONS_PER_SIDE = 10;
    public static final String[] CODES = {"C", "L", "IC", "I", "M1", "M2", "M3", "M4", "M5", "M6"};

    private LabelScheme() {
    }

    public static int toClass(int id, int classes) {
        if (id < 0 || id > 2 * REGIONS_PER_SIDE) {
            throw new IllegalArgumentException("label id " + id + " outside 0..20");
        }
        return classes == 11 && id > REGIONS_PER_SIDE ? id - REGIONS_PER_SIDE : id;
    }

    /** Left ids 1..10 become right 11..20 and back; background stays 0. */
    public static int swapHemisphere(int id) {
        if (id == 0) {
            return 0;
        }
        return id <= REGIONS_PER_SIDE ? id + REGIONS_PER_SIDE : id - REGIONS_PER_SIDE;
    }

    /** A readable class name: background, L_C ... R_M6, or C ... M6 for merged classes. */
    public static String className(int c, int classes) {
        if (c == 0) {
            return "background";
        }
        if (classes == 11) {
            return CODES[c - 1];
        }
        return (c <= REGIONS_PER_SIDE ? "L_" : "R_") + CODES[(c - 1) % REGIONS_PER_SIDE];
    }
}
