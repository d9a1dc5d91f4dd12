package org.deepstroke.ingest.scan;

import java.nio.file.Path;

/**
 * One root the scan walks: the file-set folder and its DICOMDIR (null for a plain folder).
 *
 * @param id the root's content-derived id ({@link FileSetId}); the file lists name the root by it
 * @param duplicateOf for a root whose id an earlier root already has: that root's position (0-based), else -1
 */
public record ScanInput(String id, Path root, Path dicomdir, int duplicateOf) {
}
