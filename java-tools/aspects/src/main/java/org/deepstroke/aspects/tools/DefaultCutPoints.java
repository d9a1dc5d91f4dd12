package org.deepstroke.aspects.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.deepstroke.aspects.CutPoints;

/** The built-in copy of params/aspects-cutpoints.yaml (a resource, so the tool runs without the checkout). */
public final class DefaultCutPoints {

    public static final String RESOURCE = "/org/deepstroke/aspects/aspects-cutpoints.yaml";

    private DefaultCutPoints() {
    }

    public static String text() throws IOException {
        try (InputStream in = DefaultCutPoints.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in cut-points missing from the jar: " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static CutPoints load() throws IOException {
        return CutPoints.parse(text(), Path.of("built-in params/aspects-cutpoints.yaml"));
    }
}
