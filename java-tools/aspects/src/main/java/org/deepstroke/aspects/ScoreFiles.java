package org.deepstroke.aspects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/** Reads aspects-score's {@code <subject>_aspects.json} back as predictions of one method. */
public final class ScoreFiles {

    /**
     * Which of the JSON's methods: the cut-point baseline, the fitted classifier, or lesion x regions
     * (aspects-lesion-score's JSON: section "lesion", region score = lesion fraction).
     */
    public enum Method {
        CUTPOINT("cutpoint"), CLASSIFIER("classifier"), LESION("lesion");

        private final String key;

        Method(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.key.equalsIgnoreCase(s.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("method must be cutpoint, classifier or lesion: '" + s + "'");
        }
    }

    private ScoreFiles() {
    }

    /** Every {@code *_aspects.json} under the inputs (folders walked), sorted. */
    public static List<Path> find(List<Path> inputs) {
        return find(inputs, "_aspects.json");
    }

    /** Every file named {@code *<suffix>} under the inputs (folders walked; files taken as given), sorted. */
    public static List<Path> find(List<Path> inputs, String suffix) {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(suffix)).forEach(files::add);
                } catch (IOException e) {
                    throw new ToolFailure(p, "cannot list: " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new ToolFailure(p, "no such file or folder");
            }
        }
        files.sort(null);
        return files;
    }

    /** Predictions by subject; a file without the requested method's section fails naming it. */
    public static Map<String, SubjectPrediction> read(List<Path> files, Method method) {
        Map<String, SubjectPrediction> out = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (Path f : files) {
            JsonNode root;
            try {
                root = mapper.readTree(f.toFile());
            } catch (IOException e) {
                throw new ToolFailure(f, "not JSON: " + e.getMessage(), e);
            }
            String subject = root.path("subject").asText(null);
            JsonNode m = root.path(method.key());
            if (subject == null || !m.isObject()) {
                throw new ToolFailure(f, "no 'subject' or no '" + method.key() + "' section (for the classifier, "
                        + "score with --model)");
            }
            try {
                Side side = Side.valueOf(m.path("side").asText());
                Set<Structure> affected = EnumSet.noneOf(Structure.class);
                m.path("affected").forEach(n -> affected.add(Structure.valueOf(n.asText().toUpperCase(Locale.ROOT))));
                Map<Structure, Double> scores = new EnumMap<>(Structure.class);
                double continuous;
                if (method == Method.CUTPOINT) {
                    m.path("regions").fields().forEachRemaining(e -> {
                        JsonNode r = e.getValue().path("relative_hu");
                        scores.put(Structure.valueOf(e.getKey()), r.isNumber() ? 1 - r.asDouble() : 0);
                    });
                    continuous = m.path("score").asDouble();
                } else if (method == Method.LESION) {
                    m.path("regions").fields().forEachRemaining(e -> scores.put(Structure.valueOf(e.getKey()),
                            e.getValue().path("lesion_fraction").asDouble()));
                    continuous = m.path("score").asDouble();
                } else {
                    m.path("probabilities").fields().forEachRemaining(e -> scores.put(Structure.valueOf(e.getKey()),
                            e.getValue().asDouble()));
                    continuous = m.path("continuous_score").asDouble();
                }
                if (out.put(subject, new SubjectPrediction(subject, side, affected, continuous, scores)) != null) {
                    throw new IllegalArgumentException("subject " + subject + " scored twice among the inputs");
                }
            } catch (IllegalArgumentException e) {
                throw new ToolFailure(f, e.getMessage());
            }
        }
        return out;
    }
}
