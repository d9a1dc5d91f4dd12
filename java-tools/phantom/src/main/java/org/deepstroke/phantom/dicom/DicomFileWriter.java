package org.deepstroke.phantom.dicom;

import java.io.IOException;
import java.nio.file.Path;

/** Writes one DICOM Part 10 file (preamble, file meta information, data set) in Explicit VR Little Endian. */
public interface DicomFileWriter {

    /**
     * @param dataset the data set; it must hold SOPClassUID (0008,0016) and SOPInstanceUID (0008,0018), from which
     *        the file meta information is made
     */
    void write(DicomDataset dataset, Path file) throws IOException;
}
