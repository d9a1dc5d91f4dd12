package org.deepstroke.ingest.rules;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.deepstroke.core.cli.ToolFailure;

/**
 * The ingest rules (params/ingest-rules.yaml): the built-in defaults with an optional override file merged on top
 * (keys the override leaves out keep their defaults; unknown keys are an error, so a typo never goes unnoticed).
 */
public record IngestRules(Scan scan, Convert convert) {

    public static final String DEFAULT_RESOURCE = "/org/deepstroke/ingest/ingest-rules-default.yaml";

    public record Scan(List<String> modalities, List<String> sopClasses, ImageType imageType, double maxAxialAngleDeg,
            double maxTiltDeg, Kernel kernel, Range sliceThicknessMm, double preferredThicknessMm, int minSlices,
            double minCoverageMm, Contrast contrast, double orientationTolerance, double pixelSpacingToleranceMm,
            double duplicatePositionToleranceMm) {
    }

    public record ImageType(boolean requireOriginalPrimary, List<String> rejectValues,
            boolean keepDerivedWithOverlays) {
    }

    public record Kernel(List<String> reject, List<String> accept, String unclassified) {
        public List<Pattern> rejectPatterns() {
            return compile(reject);
        }

        public List<Pattern> acceptPatterns() {
            return compile(accept);
        }
    }

    public record Range(double min, double max) {
        public boolean contains(double v) {
            return v >= min - 1e-6 && v <= max + 1e-6;
        }
    }

    public record Contrast(List<String> agentNoneValues, List<String> descriptionHints) {
        /** Whole-word, case-insensitive patterns of the hints. */
        public List<Pattern> hintPatterns() {
            return descriptionHints.stream()
                    .map(h -> Pattern.compile("(?<![A-Z0-9])" + h + "(?![A-Z0-9])", Pattern.CASE_INSENSITIVE))
                    .toList();
        }
    }

    public record Convert(String variableSpacing, double spacingToleranceMm, String tilt, double tiltToleranceDeg,
            double fillHu, String datatype) {
        public boolean resampleVariableSpacing() {
            return "resample".equalsIgnoreCase(variableSpacing);
        }
    }

    private static List<Pattern> compile(List<String> regexes) {
        return regexes.stream().map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE)).toList();
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The built-in defaults. */
    public static IngestRules defaults() {
        return load(null);
    }

    /** Defaults, with {@code override} (may be null) merged on top. */
    public static IngestRules load(Path override) {
        ObjectMapper yaml = mapper();
        try (InputStream in = IngestRules.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            JsonNode base = yaml.readTree(in);
            if (override != null) {
                if (!Files.isRegularFile(override)) {
                    throw new ToolFailure(override, "rules file not found");
                }
                JsonNode top = yaml.readTree(override.toFile());
                if (top != null && !top.isMissingNode() && !top.isNull()) {
                    if (!top.isObject()) {
                        throw new ToolFailure(override, "rules file is not a YAML mapping");
                    }
                    merge((ObjectNode) base, top);
                }
            }
            IngestRules rules = yaml.treeToValue(base, IngestRules.class);
            rules.check(override);
            return rules;
        } catch (IOException e) {
            throw new ToolFailure(override, "bad rules file: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void merge(ObjectNode base, JsonNode override) {
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode existing = base.get(f.getKey());
            if (existing instanceof ObjectNode obj && f.getValue().isObject()) {
                merge(obj, f.getValue());
            } else {
                base.set(f.getKey(), f.getValue());
            }
        }
    }

    private void check(Path file) {
        if (scan == null || convert == null) {
            throw new ToolFailure(file, "rules need both a scan and a convert section");
        }
        if (!List.of("accept", "reject").contains(scan.kernel().unclassified())) {
            throw new ToolFailure(file, "scan.kernel.unclassified must be accept or reject");
        }
        if (!List.of("resample", "reject").contains(convert.variableSpacing())) {
            throw new ToolFailure(file, "convert.variable_spacing must be resample or reject");
        }
        if (!"resample".equals(convert.tilt())) {
            throw new ToolFailure(file, "convert.tilt must be resample (the only tilt handling implemented)");
        }
        if (!List.of("auto", "int16", "float32").contains(convert.datatype())) {
            throw new ToolFailure(file, "convert.datatype must be auto, int16 or float32");
        }
        scan.kernel().rejectPatterns();
        scan.kernel().acceptPatterns();
        scan.contrast().hintPatterns();
    }
}
