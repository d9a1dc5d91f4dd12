package org.deepstroke.core.provenance;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deepstroke.core.cli.Version;

/**
 * The platform itself, the Java runtime and, inside a container, the image the process ran in: the podman profile
 * passes each task's pinned reference ({@code registry/family@sha256:...}) as {@value #CONTAINER_ENV}, so that
 * versions.yml names the exact image digest.
 */
public final class CoreVersions implements VersionSource {
    /** Set by the container profiles to the task's image reference. */
    public static final String CONTAINER_ENV = "DEEPSTROKE_CONTAINER_IMAGE";

    @Override
    public Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("deepstroke", Version.get());
        v.put("java", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        String image = System.getenv(CONTAINER_ENV);
        if (image != null && !image.isBlank()) {
            v.put("container", image);
        }
        return v;
    }
}
