package org.deepstroke.ingest;

import java.util.Map;
import org.deepstroke.core.provenance.VersionSource;
import org.deepstroke.ingest.dicom.DicomSource;

/** Reports the DICOM library version for {@code deepstroke versions}. */
public final class IngestVersions implements VersionSource {
    @Override
    public Map<String, String> versions() {
        try {
            return Map.of("pixelmed", DicomSource.pixelMed().version());
        } catch (LinkageError e) {
            return Map.of("pixelmed", "not found");
        }
    }
}
