package org.deepstroke.ingest.dicom;

/**
 * One decoded overlay plane on its own raster ({@code rows x columns}, origin as in the header, 1-based).
 *
 * @param bits one entry per overlay pixel ({@code column + columns * row}), true where set
 */
public record OverlayPlane(OverlayInfo info, boolean[] bits) {

    public int setCount() {
        int n = 0;
        for (boolean b : bits) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
