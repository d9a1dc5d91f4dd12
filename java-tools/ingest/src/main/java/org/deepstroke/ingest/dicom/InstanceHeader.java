package org.deepstroke.ingest.dicom;

import java.util.List;

/**
 * What the ingest tools need from one DICOM instance's header (everything before the pixel data), independent of
 * the DICOM library. Identifiers ({@link #patientId}, the UIDs) only ever feed keyed pseudonyms and grouping; they
 * are never written out.
 *
 * @param position ImagePositionPatient (LPS mm) or null
 * @param orientation ImageOrientationPatient (row cosines then column cosines, LPS) or null
 * @param pixelSpacing PixelSpacing: [row spacing (between rows), column spacing (between columns)] or null
 * @param pixelDataOffset byte offset of the top-level Pixel Data element in the file, -1 when absent
 * @param truncated true when the file is shorter than its native (uncompressed) pixel data needs
 */
public record InstanceHeader(
        String patientId,
        String studyUid,
        String seriesUid,
        String sopInstanceUid,
        String sopClassUid,
        String frameOfReferenceUid,
        String transferSyntaxUid,
        String modality,
        List<String> imageType,
        String kernel,
        double sliceThickness,
        double spacingBetweenSlices,
        double[] position,
        double[] orientation,
        double[] pixelSpacing,
        int rows,
        int columns,
        int frames,
        int samplesPerPixel,
        int bitsAllocated,
        int bitsStored,
        int highBit,
        int pixelRepresentation,
        String photometric,
        double rescaleSlope,
        double rescaleIntercept,
        Integer pixelPaddingValue,
        Integer pixelPaddingRangeLimit,
        double gantryTilt,
        String contrastAgent,
        String seriesDescription,
        String protocolName,
        String studyDescription,
        int instanceNumber,
        int seriesNumber,
        String manufacturer,
        String manufacturerModel,
        double kvp,
        String bodyPart,
        List<OverlayInfo> overlays,
        long pixelDataOffset,
        boolean truncated) {

    /** Value of ImageType at {@code index} (upper case) or "". */
    public String imageTypeValue(int index) {
        return imageType.size() > index ? imageType.get(index) : "";
    }

    public boolean hasPixelData() {
        return pixelDataOffset >= 0;
    }

    public boolean hasOverlays() {
        return !overlays.isEmpty();
    }
}
