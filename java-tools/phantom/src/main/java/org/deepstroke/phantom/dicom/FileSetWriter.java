package org.deepstroke.phantom.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes the DICOMDIR of a DICOM file-set (PS3.10 media storage directory). */
public interface FileSetWriter {

    /** One file of the set: its path relative to the file-set root (components of at most 8 characters from
     * A-Z, 0-9 and _) and its header (everything but the pixel data is enough). */
    record Entry(String relativePath, DicomDataset header) {
    }

    /**
     * Writes {@code root/DICOMDIR} listing every entry, with {@code fileSetUid} as the DICOMDIR's own SOP instance
     * UID (so that the same input gives a byte-identical DICOMDIR). Fails unless every entry is listed.
     */
    void write(Path root, List<Entry> entries, String fileSetUid, String fileSetId) throws IOException;
}
