package org.deepstroke.unet;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deepstroke.tracking.RunTags;
import org.nd4j.linalg.factory.Nd4j;

/** Which ND4J backend runs (CPU nd4j-native or CUDA) and the versions to record with a run. */
public final class Backend {

    public static final String DL4J_VERSION = "1.0.0-M2.1";

    private Backend() {
    }

    public static String name() {
        String cls = Nd4j.getBackend().getClass().getSimpleName();
        return cls.toLowerCase().contains("cuda") ? "cuda" : "cpu";
    }

    public static Map<String, String> tags() {
        // git commit, Nextflow run name / session id, container: from the environment (RunTags).
        Map<String, String> t = new LinkedHashMap<>(RunTags.standard());
        t.put(RunTags.BACKEND, name());
        t.put("nd4j.backend", Nd4j.getBackend().getClass().getName());
        t.put("dl4j.version", DL4J_VERSION);
        return t;
    }

    public static String versionsYaml() {
        return "deepstroke-unet:\n"
                + "  dl4j: " + DL4J_VERSION + "\n"
                + "  nd4j_backend: " + Nd4j.getBackend().getClass().getName() + "\n"
                + "  java: " + System.getProperty("java.version") + "\n";
    }
}
