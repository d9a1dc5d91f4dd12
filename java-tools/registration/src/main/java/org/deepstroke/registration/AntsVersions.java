package org.deepstroke.registration;

import java.util.Map;
import java.util.Optional;
import org.deepstroke.core.provenance.VersionSource;

/** Reports the ANTs version for {@code deepstroke versions}. */
public final class AntsVersions implements VersionSource {
    @Override
    public Map<String, String> versions() {
        Optional<Ants> ants = Ants.find();
        if (ants.isEmpty()) {
            return Map.of("ants", "not found");
        }
        try {
            return Map.of("ants", ants.get().version());
        } catch (Exception e) {
            return Map.of("ants", "unknown (" + e.getMessage() + ")");
        }
    }
}
