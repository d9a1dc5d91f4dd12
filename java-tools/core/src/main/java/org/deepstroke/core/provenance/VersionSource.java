package org.deepstroke.core.provenance;

import java.util.Map;

/**
 * Reports the versions of software a module depends on (ANTs, PixelMed, DL4J, ...) for
 * {@code deepstroke versions}; found through {@link java.util.ServiceLoader} like the tools, so each module
 * reports its own.
 */
public interface VersionSource {

    /** Software name to version; a component that cannot be found maps to "not found". */
    Map<String, String> versions();
}
