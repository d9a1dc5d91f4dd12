package org.deepstroke.aspects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * Region-specific relative-HU cut-points (a region is affected when ipsilateral mean / contralateral mean falls
 * below its cut-point) and the parenchymal window the means are taken in. The YAML is keyed by the PLATFORM's
 * codes (C, L, IC, I, M1..M6); the public pipeline keys its figures by its atlas' mask tokens, where "IC" is the
 * insular cortex (our I) and "InCa" the internal capsule (our IC): {@link #publicDefaults()} does that mapping.
 */
public record CutPoints(Map<Structure, Double> values, HuInclusionRange window, String source) {

    /**
     * The public figures (AnotherMak/aspects-on-cta, derived on CTA source images with voxels 1..250 HU), keyed
     * by that atlas' mask tokens exactly as published.
     */
    public static final Map<String, Double> PUBLIC_BY_TOKEN = Map.of("C", 0.916, "IC", 0.871, "InCa", 0.949,
            "LN", 0.930, "M1", 0.936, "M2", 0.859, "M3", 0.950, "M4", 0.957, "M5", 0.904, "M6", 0.920);

    public CutPoints {
        for (Structure s : Structure.values()) {
            Double v = values.get(s);
            if (v == null || !(v > 0 && v < 2)) {
                throw new IllegalArgumentException("cut-point of " + s + " missing or outside (0, 2): " + v);
            }
        }
        values = Map.copyOf(values);
    }

    public double of(Structure s) {
        return values.get(s);
    }

    /** The public cut-points translated to platform codes through each structure's mask token. */
    public static CutPoints publicDefaults(HuInclusionRange window) {
        Map<Structure, Double> v = new EnumMap<>(Structure.class);
        for (Structure s : Structure.values()) {
            v.put(s, PUBLIC_BY_TOKEN.get(maskToken(s)));
        }
        return new CutPoints(v, window, "AnotherMak/aspects-on-cta eb479fe (CTA source images)");
    }

    /** The public atlas' token of a structure (AspectsRegion's mapping: I -> "IC", IC -> "InCa", L -> "LN"). */
    static String maskToken(Structure s) {
        for (var r : org.deepstroke.core.aspects.AspectsRegion.values()) {
            if (r.structure() == s) {
                return r.maskToken();
            }
        }
        throw new IllegalStateException(s.name());
    }

    public static CutPoints read(Path file) {
        try {
            return parse(java.nio.file.Files.readString(file), file);
        } catch (IOException e) {
            throw new ToolFailure(file, "not readable: " + e.getMessage(), e);
        }
    }

    /** Parses the YAML text; {@code file} names it in error messages. */
    public static CutPoints parse(String text, Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new ToolFailure(file, "not readable as YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.path("cutpoints").isObject()) {
            throw new ToolFailure(file, "no 'cutpoints' map (keys C, L, IC, I, M1..M6)");
        }
        JsonNode w = root.path("hu_window");
        if (!w.path("low").isNumber() || !w.path("high").isNumber()) {
            throw new ToolFailure(file, "no 'hu_window' with numeric 'low' and 'high'");
        }
        Map<Structure, Double> v = new EnumMap<>(Structure.class);
        var it = root.path("cutpoints").fields();
        while (it.hasNext()) {
            var e = it.next();
            Structure s;
            try {
                s = Structure.valueOf(e.getKey().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new ToolFailure(file, "unknown region '" + e.getKey() + "' (platform codes: C, L, IC, I, M1..M6;"
                        + " the public atlas' LN/InCa tokens are not accepted here)");
            }
            if (!e.getValue().isNumber()) {
                throw new ToolFailure(file, "cut-point of " + s + " is not a number");
            }
            v.put(s, e.getValue().asDouble());
        }
        try {
            return new CutPoints(v, new HuInclusionRange(w.path("low").asDouble(), w.path("high").asDouble()),
                    root.path("source").asText(file.getFileName().toString()));
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(file, e.getMessage());
        }
    }

    /** The YAML text ({@code comment} lines go on top, prefixed with '# '). */
    public String toYaml(String comment) {
        StringBuilder b = new StringBuilder();
        for (String line : comment.split("\n")) {
            b.append("# ").append(line).append('\n');
        }
        b.append("source: \"").append(source.replace("\"", "'")).append("\"\n");
        b.append(String.format(Locale.ROOT, "hu_window: {low: %s, high: %s}%n", num(window.low()), num(window.high())));
        b.append("cutpoints:\n");
        for (Structure s : Structure.values()) {
            b.append(String.format(Locale.ROOT, "  %s: %.4f%n", s.name(), of(s)));
        }
        return b.toString();
    }

    public void write(Path file, String comment) throws IOException {
        AtomicFiles.writeString(file, toYaml(comment));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
