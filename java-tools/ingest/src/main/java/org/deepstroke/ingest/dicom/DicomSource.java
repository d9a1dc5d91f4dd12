package org.deepstroke.ingest.dicom;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The ingest tools' only view of a DICOM library (PixelMed today, see {@link PixelMedDicomSource}; dcm4che could
 * replace it by implementing these three methods).
 */
public interface DicomSource {

    /** Reads one instance's header, stopping before the pixel data. */
    InstanceHeader readHeader(Path file) throws IOException, DicomFormatException;

    /** Reads and decodes one single-frame image with its overlay planes. */
    DicomImage readImage(Path file) throws IOException, DicomFormatException;

    /** Reads a DICOMDIR's records (hierarchy from the offsets when they are usable, else from record order). */
    DicomDirContents readDicomDir(Path dicomdir) throws IOException, DicomFormatException;

    /** Library name and version, for `deepstroke versions` and the sidecars. */
    String version();

    /** The default implementation. */
    static DicomSource pixelMed() {
        return new PixelMedDicomSource();
    }
}
