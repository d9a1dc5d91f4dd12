package org.deepstroke.reporting;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.deepstroke.core.cli.ToolFailure;

/** pipeline_info/software_versions.yml: process name to (software to version), nf-core's layout. */
public record SoftwareVersions(Map<String, Map<String, String>> byProcess) {

    public static SoftwareVersions read(Path yml) throws IOException {
        if (!Files.isRegularFile(yml)) {
            return new SoftwareVersions(Map.of());
        }
        try {
            Map<String, Map<String, Object>> raw = new ObjectMapper(new YAMLFactory()).readValue(yml.toFile(),
                    new TypeReference<LinkedHashMap<String, Map<String, Object>>>() { });
            Map<String, Map<String, String>> byProcess = new TreeMap<>();
            if (raw != null) {
                raw.forEach((process, versions) -> {
                    Map<String, String> v = new TreeMap<>();
                    if (versions != null) {
                        versions.forEach((k, value) -> v.put(k, String.valueOf(value)));
                    }
                    byProcess.put(process, v);
                });
            }
            return new SoftwareVersions(byProcess);
        } catch (IOException e) {
            throw new ToolFailure(yml, "not a versions YAML (process: {software: version}): " + e.getMessage());
        }
    }

    /** Every version seen for a software over all processes ("not found" left out). */
    Set<String> versionsOf(String software) {
        Set<String> all = new TreeSet<>();
        byProcess.values().forEach(v -> {
            String value = v.get(software);
            if (value != null && !value.isBlank() && !value.equals("not found")) {
                all.add(value);
            }
        });
        return all;
    }

    /** One version string for the methods text: "x" or "x / y" when processes ran different ones. */
    String version(String software) {
        Set<String> all = versionsOf(software);
        return all.isEmpty() ? null : String.join(" / ", all);
    }

    Set<String> software() {
        Set<String> names = new TreeSet<>();
        byProcess.values().forEach(v -> names.addAll(v.keySet()));
        return names;
    }
}
