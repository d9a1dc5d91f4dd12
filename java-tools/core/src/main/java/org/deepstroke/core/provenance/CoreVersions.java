package org.deepstroke.core.provenance;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deepstroke.core.cli.Version;

/** The platform itself and the Java runtime. */
public final class CoreVersions implements VersionSource {
    @Override
    public Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("deepstroke", Version.get());
        v.put("java", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        return v;
    }
}
