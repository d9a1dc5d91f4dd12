package org.deepstroke.core.params;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.deepstroke.core.cli.ToolFailure;

/**
 * Validates a run's parameters (JSON from Nextflow, or a YAML params file) against the pipeline's JSON schema. The
 * schema's top-level {@code properties} lists every parameter: anything else is reported as unknown, so a typo
 * such as {@code --out_dir} stops the run instead of being ignored.
 */
public final class ParamsValidator {

    private final JsonSchema schema;
    private final Set<String> known = new TreeSet<>();

    public ParamsValidator(Path schemaFile) throws IOException {
        JsonNode node = parse(schemaFile, new ObjectMapper());
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
        node.path("properties").fieldNames().forEachRemaining(known::add);
    }

    /**
     * Reads JSON or YAML (by extension: .yaml/.yml are YAML). A key given twice is an error (YAML and JSON parsers
     * otherwise keep the last value silently), and a parse error names the file, line and column without the
     * parser's own multi-line text (issue 16).
     */
    public static JsonNode read(Path file) throws IOException {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory())
                : new ObjectMapper();
        return parse(file, mapper);
    }

    private static JsonNode parse(Path file, ObjectMapper mapper) throws IOException {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            JsonNode node = mapper.readTree(utf8Text(file));
            if (node == null || node.isMissingNode()) {
                throw new ToolFailure(file, "empty file");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String why = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
            throw new ToolFailure(file, "not valid " + (mapper.getFactory() instanceof YAMLFactory ? "YAML" : "JSON")
                    + where + ": " + why.lines().findFirst().orElse("").strip(), e);
        }
    }

    /**
     * The file as UTF-8 text, decoded strictly first: the YAML parser's own decoding error carried an exception
     * class name and no offset (ParamsFuzzTest, a bit flip in a value).
     */
    private static String utf8Text(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new ToolFailure(file, "not UTF-8 text (invalid byte sequence at byte " + in.position() + ")");
        }
    }

    /**
     * @return one message per problem, each naming the parameter (empty when valid)
     */
    public List<String> validate(JsonNode params) {
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add("--" + name + ": unknown parameter" + suggestion(name));
            }
        }
        for (ValidationMessage m : schema.validate(params)) {
            if ("additionalProperties".equals(m.getType())) {
                continue; // reported above, with a suggestion
            }
            String where = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
            String param = where.isEmpty() ? (m.getProperty() == null ? "" : m.getProperty()) : where;
            problems.add((param.isEmpty() ? "params" : "--" + param) + ": " + m.getMessage()
                    .replaceFirst("^\\$(\\.[\\w\\[\\].]+)?: ", ""));
        }
        return problems;
    }

    private String suggestion(String name) {
        String plain = name.replace("-", "_").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
        if (known.contains(plain)) {
            return " (did you mean --" + plain + "?)";
        }
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(plain, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? "" : " (did you mean --" + best + "?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
