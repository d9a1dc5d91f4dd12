package org.deepstroke.phantom;

/**
 * What a cohort is made of.
 *
 * @param subjects number of subjects (one study each)
 * @param seed the seed every draw, UID and date derives from
 * @param overlayShare share of subjects with legacy ASPECTS overlays (half of them, rounded down, in a derived copy)
 * @param tiltShare share of subjects scanned with gantry tilt (15-20 degrees either way)
 * @param normalShare share of subjects without ischaemia (ASPECTS 10)
 * @param matrix in-plane matrix of the axial series (512 as scanners write; smaller only for fast tests)
 * @param thin z coverage of the thin (1 mm) bone and CTA series
 * @param threads subjects generated in parallel
 * @param anatomy where the anatomy comes from
 * @param motionShare share of subjects whose head moves during the NCCT ({@link Motion}; 0, the default, keeps every
 *     output byte-identical to the generator before motion was modelled)
 * @param streakShare share of subjects whose NCCT shows beam hardening and skull-base streaks
 *     ({@link BeamHardening}; 0, the default, keeps every output byte-identical to the generator before they were
 *     modelled)
 * @param spacingStepShare share of subjects whose NCCT is acquired in two segments of different slice spacing
 *     ({@link SpacingStep}; 0, the default, keeps every output byte-identical to the generator before it was
 *     modelled)
 */
public record CohortSettings(int subjects, long seed, double overlayShare, double tiltShare, double normalShare,
        int matrix, ThinCoverage thin, int threads, AnatomySource anatomy, double motionShare,
        double streakShare, double spacingStepShare) {

    /** Where the subjects' anatomy comes from. */
    public enum AnatomySource {
        /** MNI-space brains independent of the registration target (the default: README "Anatomy") */
        MNI,
        /** the CT template registration maps to, deformed (the old generator, kept for regression) */
        TEMPLATE
    }

    /** Without a spacing step. */
    public CohortSettings(int subjects, long seed, double overlayShare, double tiltShare, double normalShare,
            int matrix, ThinCoverage thin, int threads, AnatomySource anatomy, double motionShare,
            double streakShare) {
        this(subjects, seed, overlayShare, tiltShare, normalShare, matrix, thin, threads, anatomy, motionShare,
                streakShare, 0);
    }

    /** Without streaks. */
    public CohortSettings(int subjects, long seed, double overlayShare, double tiltShare, double normalShare,
            int matrix, ThinCoverage thin, int threads, AnatomySource anatomy, double motionShare) {
        this(subjects, seed, overlayShare, tiltShare, normalShare, matrix, thin, threads, anatomy, motionShare, 0);
    }

    /** Without motion. */
    public CohortSettings(int subjects, long seed, double overlayShare, double tiltShare, double normalShare,
            int matrix, ThinCoverage thin, int threads, AnatomySource anatomy) {
        this(subjects, seed, overlayShare, tiltShare, normalShare, matrix, thin, threads, anatomy, 0);
    }

    /** The template anatomy (the old generator's settings). */
    public CohortSettings(int subjects, long seed, double overlayShare, double tiltShare, double normalShare,
            int matrix, ThinCoverage thin, int threads) {
        this(subjects, seed, overlayShare, tiltShare, normalShare, matrix, thin, threads, AnatomySource.TEMPLATE);
    }

    /** How much of the head the 1 mm series cover. */
    public enum ThinCoverage {
        /** the whole head, like the soft-tissue series */
        FULL,
        /** a 60 mm slab centred on the basal ganglia (faster, smaller) */
        SLAB
    }

    public CohortSettings {
        if (subjects < 1) {
            throw new IllegalArgumentException("at least one subject");
        }
        for (double share : new double[] {overlayShare, tiltShare, normalShare, motionShare, streakShare,
            spacingStepShare}) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("shares must lie in 0..1: " + share);
            }
        }
        if (matrix < 64 || matrix > 1024 || matrix % 2 != 0) {
            throw new IllegalArgumentException("matrix must be an even number in 64..1024: " + matrix);
        }
        if (anatomy == null) {
            throw new IllegalArgumentException("anatomy source missing");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }
}
