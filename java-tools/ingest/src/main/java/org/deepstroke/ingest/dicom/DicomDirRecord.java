package org.deepstroke.ingest.dicom;

import java.util.List;

/**
 * A DICOMDIR directory record that references a file (an IMAGE-level record), with the series it sits under in
 * the directory's hierarchy when that is known.
 *
 * @param fileId ReferencedFileID components as stored (not yet checked: may hold "..", absolute parts, ...)
 * @param seriesUid SeriesInstanceUID of the enclosing SERIES record, or null
 * @param referencedSopInstanceUid ReferencedSOPInstanceUIDInFile, or null
 */
public record DicomDirRecord(String recordType, List<String> fileId, String seriesUid, String referencedSopInstanceUid) {
}
