package org.deepstroke.registration.atlas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.deepstroke.core.cli.UsageError;

/**
 * antsRegistration stages for template-to-template CT registration: centre-of-mass start, rigid and affine with
 * Mattes MI, then SyN with a cross-correlation metric. Measured on the 2 mm CT template at 2 threads
 * (../shared/notes/ants.md): {@code fast} (CC radius 2, no full-resolution SyN level) ~100 s, mean Dice 0.878 on a known
 * deformation; {@code accurate} (antsRegistrationSyN.sh's defaults, 20 full-resolution iterations) ~480 s for
 * +0.01 Dice. A larger CC radius cost 15x for no gain, so no preset uses one.
 */
public enum RegistrationPreset {
    /** For tests and smoke runs: coarse levels only; labels are rougher, the pipeline's plumbing the same. */
    QUICK("0.1,3,0", "40x20x0x0"),
    FAST("0.1,3,0", "100x70x50x0"),
    ACCURATE("0.2,3,0", "100x70x50x20");

    private static final String SHRINK = "8x4x2x1";
    private static final String SMOOTH = "3x2x1x0vox";
    private static final String LINEAR_ITERATIONS = "1000x500x250x0";

    private final String synParameters;
    private final String synIterations;

    RegistrationPreset(String synParameters, String synIterations) {
        this.synParameters = synParameters;
        this.synIterations = synIterations;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RegistrationPreset parse(String value) {
        for (RegistrationPreset p : values()) {
            if (p.id().equalsIgnoreCase(value.strip())) {
                return p;
            }
        }
        throw new UsageError("unknown preset '" + value + "' (one of " + Arrays.stream(values())
                .map(RegistrationPreset::id).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * The antsRegistration arguments (without -o) registering {@code moving} onto {@code fixed}. The linear stages
     * skip the full-resolution level: at 2 mm it adds time, not accuracy, and SyN refines anyway.
     */
    public List<String> stages(Path fixed, Path moving, long seed) {
        List<String> a = linearStages(fixed, moving, seed);
        a.addAll(synStage(List.of("CC[" + fixed + "," + moving + ",1,2]")));
        return a;
    }

    /** This preset's SyN stage driven by {@code metrics} (antsRegistration metric specs, weights inside). */
    public List<String> synStage(List<String> metrics) {
        List<String> a = new ArrayList<>(List.of("--transform", "SyN[" + synParameters + "]"));
        for (String metric : metrics) {
            a.addAll(List.of("--metric", metric));
        }
        a.addAll(List.of("--convergence", "[" + synIterations + ",1e-6,10]",
                "--shrink-factors", SHRINK, "--smoothing-sigmas", SMOOTH));
        return a;
    }

    /**
     * Centre-of-mass start, then rigid and affine stages with Mattes MI (the same for every preset): the linear part
     * of {@link #stages} and of the MR-template route ({@link MrTemplateRoute}). MI, not CC, so the pair may differ in
     * modality.
     */
    public static List<String> linearStages(Path fixed, Path moving, long seed) {
        String pair = fixed + "," + moving;
        List<String> a = new ArrayList<>(List.of("--dimensionality", "3", "--float", "1", "--verbose", "1",
                "--random-seed", Long.toString(seed),
                "--interpolation", "Linear", "--use-histogram-matching", "0",
                "--initial-moving-transform", "[" + pair + ",1]"));
        for (String linear : new String[] {"Rigid[0.1]", "Affine[0.1]"}) {
            a.addAll(List.of("--transform", linear, "--metric", "MI[" + pair + ",1,32,Regular,0.25]",
                    "--convergence", "[" + LINEAR_ITERATIONS + ",1e-6,10]",
                    "--shrink-factors", SHRINK, "--smoothing-sigmas", SMOOTH));
        }
        return a;
    }
}
