package org.deepstroke.registration.register;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;

/**
 * The named presets of {@code deepstroke register}: a YAML map preset -> parameter -> value. The built-in table
 * ({@code presets.yaml} beside this class: quick, fast, aggressive, with the measurements behind them) is the
 * default; {@code --presets FILE} reads another one with the same form.
 */
public final class RegistrationPresets {

    static final String BUILT_IN = "presets.yaml";

    private final Map<String, Map<String, String>> presets;
    private final String source;

    private RegistrationPresets(Map<String, Map<String, String>> presets, String source) {
        this.presets = presets;
        this.source = source;
    }

    public static RegistrationPresets builtIn() {
        try (InputStream in = RegistrationPresets.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUILT_IN);
            }
            return parse(new ObjectMapper(new YAMLFactory()).readTree(in), "built-in presets");
        } catch (IOException e) {
            throw new IllegalStateException("unreadable built-in presets", e);
        }
    }

    public static RegistrationPresets read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ToolFailure(file, "no such file");
        }
        try {
            return parse(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new ToolFailure(file, "not a YAML preset table (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
        } catch (IllegalStateException e) {
            throw new ToolFailure(file, e.getMessage());
        }
    }

    private static RegistrationPresets parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("expected a map of presets");
        }
        Map<String, Map<String, String>> presets = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<String, String> values = new LinkedHashMap<>();
            e.getValue().fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
            presets.put(e.getKey(), values);
        }
        return new RegistrationPresets(presets, source);
    }

    public List<String> names() {
        return new ArrayList<>(presets.keySet());
    }

    /** The parameters of one preset (a fresh, overridable copy). */
    public RegistrationParameters get(String name) {
        Map<String, String> values = presets.get(name);
        if (values == null) {
            throw new UsageError("unknown preset '" + name + "' in " + source + " (one of " + String.join(", ",
                    presets.keySet()) + ")");
        }
        try {
            return new RegistrationParameters(name, values);
        } catch (IllegalStateException e) {
            throw new ToolFailure(source + ": " + e.getMessage());
        }
    }
}
