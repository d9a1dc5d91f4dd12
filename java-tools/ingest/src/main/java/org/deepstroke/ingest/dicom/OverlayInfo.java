package org.deepstroke.ingest.dicom;

/**
 * The header of one overlay plane (repeating group 60xx) as read, before any check of its usability.
 *
 * @param group the group number, 0x6000..0x601E
 * @param originRow OverlayOrigin row (1-based: 1 means the overlay's first row lies on the image's first row)
 * @param dataBits number of bits present in Overlay Data (60xx,3000), 0 when the element is absent
 */
public record OverlayInfo(int group, int rows, int columns, int originRow, int originColumn, int bitsAllocated,
        int bitPosition, int frames, String type, long dataBits) {

    public boolean hasOverlayData() {
        return dataBits > 0;
    }

    /** Legacy overlays stored in unused high bits of the pixel data (no Overlay Data element). */
    public boolean embeddedInPixelData() {
        return !hasOverlayData() && bitsAllocated > 1;
    }

    public String groupHex() {
        return String.format("%04X", group);
    }
}
