package org.deepstroke.ingest.dicom;

/** A file that is not DICOM, or not DICOM this library can read (message: a short category, no values). */
public class DicomFormatException extends Exception {

    /** The message of a file that is a DICOMDIR rather than an instance. */
    public static final String DICOMDIR = "a DICOMDIR, not an instance";

    public DicomFormatException(String message) {
        super(message);
    }

    public DicomFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
