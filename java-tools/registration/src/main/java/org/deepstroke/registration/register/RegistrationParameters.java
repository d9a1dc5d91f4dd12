package org.deepstroke.registration.register;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.deepstroke.core.cli.UsageError;

/**
 * The settings of one native-CT-to-atlas registration: a named preset's values, each overridable by the option of
 * the same name ({@code cc_radius} -> {@code --cc-radius}). Values stay strings in ANTs' own syntax
 * ({@code 100x70x50}, {@code 3x2x1vox}) and are checked when set, so a bad override fails before ANTs starts.
 */
public final class RegistrationParameters {

    /** What a parameter holds: decides its check and its JSON form. */
    enum Kind { INT, FLAG, NUMBER, LEVELS, SIGMAS }

    /** Every parameter with its kind and meaning (the option help text). */
    public record Key(String name, Kind kind, String help) {
        public String option() {
            return name.replace('_', '-');
        }
    }

    public static final List<Key> KEYS = List.of(
            new Key("working_spacing_mm", Kind.NUMBER, "moving CT resampled to this isotropic spacing before "
                    + "registering; 0 = as is"),
            new Key("working_smoothing", Kind.FLAG, "1 = Gaussian anti-aliasing in that resampling (ANTs "
                    + "ResampleImageBySpacing's smoothing); 0 = plain linear resampling (sharper; better label Dice)"),
            new Key("fixed_crop_margin_mm", Kind.NUMBER, "fixed image cropped to its non-zero box plus this margin "
                    + "(fewer voxels, same world space); negative = no crop"),
            new Key("linear_iterations", Kind.LEVELS, "rigid and affine (MI) iterations per level, e.g. 500x250x100"),
            new Key("linear_shrink_factors", Kind.LEVELS, "rigid/affine shrink factors per level, e.g. 8x4x2"),
            new Key("linear_smoothing_sigmas", Kind.SIGMAS, "rigid/affine smoothing per level, e.g. 3x2x1vox"),
            new Key("linear_gradient_step", Kind.NUMBER, "rigid/affine gradient step"),
            new Key("mi_bins", Kind.INT, "Mattes MI histogram bins"),
            new Key("mi_sampling", Kind.NUMBER, "fraction of voxels MI samples (Regular sampling)"),
            new Key("syn_iterations", Kind.LEVELS, "SyN (CC) iterations per level, e.g. 100x70x50"),
            new Key("syn_shrink_factors", Kind.LEVELS, "SyN shrink factors per level"),
            new Key("syn_smoothing_sigmas", Kind.SIGMAS, "SyN smoothing per level"),
            new Key("syn_gradient_step", Kind.NUMBER, "SyN gradient step"),
            new Key("syn_update_variance", Kind.NUMBER, "SyN update field smoothing (voxel^2)"),
            new Key("syn_total_variance", Kind.NUMBER, "SyN total field smoothing (voxel^2)"),
            new Key("cc_radius", Kind.INT, "SyN cross-correlation radius (voxels)"),
            new Key("convergence_threshold", Kind.NUMBER, "convergence threshold of every stage"),
            new Key("convergence_window", Kind.INT, "convergence window (iterations) of every stage"));

    private static final Pattern LEVELS = Pattern.compile("\\d+(x\\d+)*");
    private static final Pattern SIGMAS = Pattern.compile("\\d+(\\.\\d+)?(x\\d+(\\.\\d+)?)*(vox|mm)?");

    private final String preset;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> overridden = new LinkedHashMap<>();

    RegistrationParameters(String preset, Map<String, String> presetValues) {
        this.preset = preset;
        for (Key key : KEYS) {
            String v = presetValues.get(key.name());
            if (v == null) {
                throw new IllegalStateException("preset " + preset + " lacks " + key.name());
            }
            values.put(key.name(), check(key, v, "preset " + preset));
        }
        checkLevels();
    }

    /** Replaces one value (an option given on the command line); checked like the preset's. */
    public RegistrationParameters override(String name, String value) {
        Key key = KEYS.stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown parameter " + name));
        values.put(name, check(key, value.strip(), "--" + key.option()));
        overridden.put(name, value.strip());
        checkLevels();
        return this;
    }

    public String preset() {
        return preset;
    }

    public String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown parameter " + name);
        }
        return v;
    }

    public double number(String name) {
        return Double.parseDouble(get(name));
    }

    public int integer(String name) {
        return Integer.parseInt(get(name));
    }

    /** All values, in the fixed key order (for the QC JSON). */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The values given as options rather than taken from the preset. */
    public Map<String, String> overrides() {
        return Collections.unmodifiableMap(overridden);
    }

    private static String check(Key key, String v, String where) {
        boolean ok = switch (key.kind()) {
            case INT -> v.matches("\\d+") && Integer.parseInt(v) > 0;
            case FLAG -> v.equals("0") || v.equals("1");
            case NUMBER -> isNumber(v);
            case LEVELS -> LEVELS.matcher(v).matches();
            case SIGMAS -> SIGMAS.matcher(v).matches();
        };
        if (!ok) {
            throw new UsageError(where + ": bad value '" + v + "' for " + key.name() + " (" + key.kind()
                    .name().toLowerCase() + ": " + key.help() + ")");
        }
        return v;
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Iterations, shrink factors and sigmas of one stage must name the same number of levels. */
    private void checkLevels() {
        for (String stage : new String[] {"linear", "syn"}) {
            int n = levels(get(stage + "_iterations"));
            if (levels(get(stage + "_shrink_factors")) != n || levels(get(stage + "_smoothing_sigmas")) != n) {
                throw new UsageError(stage + " stage: iterations " + get(stage + "_iterations") + ", shrink factors "
                        + get(stage + "_shrink_factors") + " and smoothing sigmas " + get(stage + "_smoothing_sigmas")
                        + " must list the same number of levels");
            }
        }
    }

    private static int levels(String v) {
        return v.replaceAll("(vox|mm)$", "").split("x").length;
    }
}
