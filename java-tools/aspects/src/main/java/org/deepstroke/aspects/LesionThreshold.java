package org.deepstroke.aspects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.deepstroke.core.cli.ToolFailure;

/**
 * The lesion-fraction threshold of the lesion x regions path (params/aspects-lesion-threshold.yaml): key
 * {@code threshold} in [0, 1); the other keys (cohort, command, J) are provenance for readers.
 */
public final class LesionThreshold {

    private LesionThreshold() {
    }

    public static double read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ToolFailure(file, "not YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.path("threshold").isNumber()) {
            throw new ToolFailure(file, "no numeric 'threshold'");
        }
        return check(file, root.path("threshold").asDouble());
    }

    /** A fraction threshold in [0, 1) (affected = fraction > threshold; 1 would never call anything). */
    public static double check(Path file, double t) {
        if (!(t >= 0 && t < 1)) {
            String msg = "lesion fraction threshold must be in [0, 1): " + t;
            throw file == null ? new IllegalArgumentException(msg) : new ToolFailure(file, msg);
        }
        return t;
    }
}
