package org.deepstroke.onescan;

import static org.deepstroke.onescan.ReportDicom.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.onescan.ReportSegmentation.Uids;

/**
 * The scored CT (HU, as converted) as a pseudonymous CT Image Storage series, one instance per slice: the source
 * series a DICOM Segmentation must reference, without copying any source identifier or UID. Stored values are HU
 * rounded to 16-bit signed (slope 1, intercept 0).
 */
final class CtSeriesCopy {

    /** What the Segmentation references: the series, the frame of reference and each slice's instance. */
    record Written(String seriesUid, String frameOfReferenceUid, List<String> instanceUids, SliceGeometry geometry) {
    }

    /** (0018,0060), absent from PixelMed's TagFromName. */
    private static final AttributeTag KVP = new AttributeTag(0x0018, 0x0060);

    private CtSeriesCopy() {
    }

    static Written write(ImageVolume ct, Path dir, Uids uids, String subject) throws IOException {
        SliceGeometry g = SliceGeometry.of(ct);
        List<String> instances = new ArrayList<>();
        try {
            for (int k = 0; k < ct.nz(); k++) {
                String instance = uids.ctInstance(k);
                AttributeList l = slice(ct, k, g, uids, instance, subject);
                ReportSegmentation.writeFile(l, dir.resolve(String.format(Locale.ROOT, "%s_ct_%04d.dcm", subject,
                        k + 1)));
                instances.add(instance);
            }
        } catch (DicomException e) {
            throw new IOException("cannot build the CT copy: " + e.getMessage(), e);
        }
        return new Written(uids.ctSeries(), uids.frameOfReference(), List.copyOf(instances), g);
    }

    private static AttributeList slice(ImageVolume ct, int k, SliceGeometry g, Uids uids, String instance,
            String subject) throws DicomException {
        AttributeList l = new AttributeList();
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.CTImageStorage);
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), instance);
        ReportSegmentation.patientStudyEquipment(l, subject, uids);
        put(l, new CodeStringAttribute(TagFromName.Modality), "CT");
        put(l, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), uids.ctSeries());
        put(l, new IntegerStringAttribute(TagFromName.SeriesNumber), "9902");
        put(l, new LongStringAttribute(TagFromName.SeriesDescription),
                "NCCT as scored. " + ReportSegmentation.NOTICE);
        put(l, new CodeStringAttribute(TagFromName.Laterality)); // type 2C: dciodvfy wants it empty on CT, not SEG
        put(l, new CodeStringAttribute(TagFromName.PatientPosition)); // type 2C: not known here
        put(l, new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID), uids.frameOfReference());
        put(l, new LongStringAttribute(TagFromName.PositionReferenceIndicator));
        put(l, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(k + 1));
        put(l, new CodeStringAttribute(TagFromName.ImageType), "DERIVED", "SECONDARY", "AXIAL");
        put(l, new IntegerStringAttribute(TagFromName.AcquisitionNumber));
        put(l, new DecimalStringAttribute(KVP));
        put(l, new DecimalStringAttribute(TagFromName.ImagePositionPatient), g.position(k));
        put(l, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), g.orientation());
        put(l, new DecimalStringAttribute(TagFromName.PixelSpacing), g.pixelSpacing());
        put(l, new DecimalStringAttribute(TagFromName.SliceThickness), g.thickness());
        put(l, new DecimalStringAttribute(TagFromName.RescaleIntercept), "0");
        put(l, new DecimalStringAttribute(TagFromName.RescaleSlope), "1");
        put(l, new LongStringAttribute(TagFromName.RescaleType), "HU");
        put(l, new DecimalStringAttribute(TagFromName.WindowCenter), "40");
        put(l, new DecimalStringAttribute(TagFromName.WindowWidth), "80");
        pixels(l, ct, k);
        return l;
    }

    private static void pixels(AttributeList l, ImageVolume ct, int k) throws DicomException {
        put(l, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), "1");
        put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        put(l, new UnsignedShortAttribute(TagFromName.Rows), Integer.toString(ct.ny()));
        put(l, new UnsignedShortAttribute(TagFromName.Columns), Integer.toString(ct.nx()));
        put(l, new UnsignedShortAttribute(TagFromName.BitsAllocated), "16");
        put(l, new UnsignedShortAttribute(TagFromName.BitsStored), "16");
        put(l, new UnsignedShortAttribute(TagFromName.HighBit), "15");
        put(l, new UnsignedShortAttribute(TagFromName.PixelRepresentation), "1");
        short[] values = new short[ct.nx() * ct.ny()];
        for (int r = 0; r < ct.ny(); r++) {
            for (int c = 0; c < ct.nx(); c++) {
                long hu = Math.round(ct.get(c, r, k)); // NaN rounds to 0
                values[r * ct.nx() + c] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, hu));
            }
        }
        OtherWordAttribute data = new OtherWordAttribute(TagFromName.PixelData);
        data.setValues(values);
        l.put(data);
    }
}
