package org.deepstroke.ingest.dicom;

import java.util.List;

/**
 * One decoded single-frame image: stored pixel values (high bits masked, sign extended) and its overlay planes.
 *
 * @param stored stored values, row by row ({@code column + columns * row}), before rescale
 * @param overlays decoded overlay planes (those with usable data; the others are listed in {@code warnings})
 * @param warnings why overlay groups were skipped
 */
public record DicomImage(InstanceHeader header, int[] stored, List<OverlayPlane> overlays, List<String> warnings) {
}
