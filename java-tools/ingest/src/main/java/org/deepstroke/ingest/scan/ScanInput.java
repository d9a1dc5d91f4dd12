package org.deepstroke.ingest.scan;

import java.nio.file.Path;

/**
 * One root the scan walks: the file-set folder and its DICOMDIR (null for a plain folder).
 *
 * @param index position among the roots (its id is fs{index+1})
 */
public record ScanInput(int index, Path root, Path dicomdir) {
    public String id() {
        return SeriesFiles.rootId(index);
    }
}
