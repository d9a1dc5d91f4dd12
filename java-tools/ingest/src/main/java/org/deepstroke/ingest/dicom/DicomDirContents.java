package org.deepstroke.ingest.dicom;

import java.util.List;

/**
 * What a DICOMDIR references.
 *
 * @param records every record with a ReferencedFileID, in directory order
 * @param warnings problems of the directory itself (unusable offsets, records of unknown type, ...)
 */
public record DicomDirContents(List<DicomDirRecord> records, List<String> warnings) {
}
