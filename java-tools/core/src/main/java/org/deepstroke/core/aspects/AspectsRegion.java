package org.deepstroke.core.aspects;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The 20 ASPECTS regions (10 per hemisphere) with their fixed label ids: left 1..10 = C, L, IC, I, M1..M6, right
 * 11..20 in the same order. These ids are the platform's contract: every later stage (dataset, network, scoring)
 * reads label maps with them, so they never change.
 */
public enum AspectsRegion {
    C_L(Structure.C, Side.L), L_L(Structure.L, Side.L), IC_L(Structure.IC, Side.L), I_L(Structure.I, Side.L),
    M1_L(Structure.M1, Side.L), M2_L(Structure.M2, Side.L), M3_L(Structure.M3, Side.L),
    M4_L(Structure.M4, Side.L), M5_L(Structure.M5, Side.L), M6_L(Structure.M6, Side.L),
    C_R(Structure.C, Side.R), L_R(Structure.L, Side.R), IC_R(Structure.IC, Side.R), I_R(Structure.I, Side.R),
    M1_R(Structure.M1, Side.R), M2_R(Structure.M2, Side.R), M3_R(Structure.M3, Side.R),
    M4_R(Structure.M4, Side.R), M5_R(Structure.M5, Side.R), M6_R(Structure.M6, Side.R);

    /** Hemisphere (the patient's side). */
    public enum Side { L, R }

    /** ASPECTS level: basal ganglia (ganglionic) or supraganglionic. */
    public enum Level { BG, SG }

    /**
     * One ASPECTS structure: its code, the token in the public atlas' mask file names, a readable name and its
     * level. The attributes come from the contract table {@code regions.tsv} beside this class (also read by
     * main.nf), whose rows must name these constants in this order; a mismatch fails the first use, loudly.
     */
    public enum Structure {
        C, L, IC, I, M1, M2, M3, M4, M5, M6;

        /** The region code: C, L, IC, I, M1..M6. */
        public String code() {
            return RegionTable.row(this).code();
        }

        /** The token in the public atlas' mask file names: LN for L, InCa for IC, IC for I, ... */
        public String maskToken() {
            return RegionTable.row(this).maskToken();
        }

        public String description() {
            return RegionTable.row(this).description();
        }

        public Level level() {
            return RegionTable.row(this).level();
        }

        /**
         * The supraganglionic cortex directly above this ganglionic one (M4 above M1, M5 above M2, M6 above M3:
         * regions.tsv's descriptions, anterior / lateral / posterior MCA territory); empty for the others. Used by
         * the U-Net's territory-aware loss (territory continuity across the level boundary).
         */
        public java.util.Optional<Structure> continuationAbove() {
            return switch (this) {
                case M1 -> java.util.Optional.of(M4);
                case M2 -> java.util.Optional.of(M5);
                case M3 -> java.util.Optional.of(M6);
                default -> java.util.Optional.empty();
            };
        }
    }

    private final Structure structure;
    private final Side side;

    AspectsRegion(Structure structure, Side side) {
        this.structure = structure;
        this.side = side;
    }

    /** The label id in every ASPECTS label map of the platform (1..20). */
    public int id() {
        return ordinal() + 1;
    }

    /** The region code: C, L, IC, I, M1..M6. */
    public String code() {
        return structure.code();
    }

    public Side side() {
        return side;
    }

    public Level level() {
        return structure.level();
    }

    public Structure structure() {
        return structure;
    }

    /** A readable name, e.g. {@code caudate}. */
    public String description() {
        return structure.description();
    }

    /** The token in the public atlas' mask file names (MNI152_&lt;token&gt;_&lt;L|R&gt;.nii.gz): LN, InCa, ... */
    public String maskToken() {
        return structure.maskToken();
    }

    /** Code and side, e.g. {@code M4_R}: names files and JSON keys. */
    public String key() {
        return name();
    }

    /** The same structure in the other hemisphere (label id +-10): what a left-right flip does to a label map. */
    public AspectsRegion mirrored() {
        return of(structure, side == Side.L ? Side.R : Side.L);
    }

    public static AspectsRegion of(Structure structure, Side side) {
        return values()[(side == Side.L ? 0 : Structure.values().length) + structure.ordinal()];
    }

    /** Regions per hemisphere (10). */
    public static int perSide() {
        return Structure.values().length;
    }

    public static List<AspectsRegion> all() {
        return List.of(values());
    }

    public static AspectsRegion ofId(int id) {
        if (id < 1 || id > values().length) {
            throw new IllegalArgumentException("no ASPECTS region with id " + id);
        }
        return values()[id - 1];
    }

    /**
     * The region for a platform code (C, L, IC, I, M1..M6) and a side (L/R), case-insensitive. Mask-file tokens are
     * deliberately not accepted: the public atlas' "IC" is the insula, the platform's IC the internal capsule.
     */
    public static Optional<AspectsRegion> find(String code, String side) {
        return Arrays.stream(values())
                .filter(r -> r.side.name().equalsIgnoreCase(side.strip()))
                .filter(r -> r.code().equalsIgnoreCase(code.strip()))
                .findFirst();
    }
}
