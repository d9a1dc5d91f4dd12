package org.deepstroke.onescan;

import static org.deepstroke.onescan.ReportDicom.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.io.IOException;
import java.nio.file.Path;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The scored ASPECTS labels as a DICOM Segmentation (PixelMed) referencing a pseudonymous copy of the scored CT,
 * written beside it: viewers that overlay SEG on CT show the regions that were measured. Like the Secondary Capture
 * ({@link ReportDicom}) every UID is derived from the keyed pseudonyms, with the SC's Study Instance UID, so the
 * three objects are one pseudonymous study and no source identifier or UID is copied. Every object says research
 * use only, not a medical device. A U-Net lesion map, when the model has a lesion head, is one more segment.
 */
public final class ReportSegmentation {

    static final String NOTICE = "Research use only, not a medical device";

    private ReportSegmentation() {
    }

    /**
     * @param ct the converted CT in HU
     * @param labels the lateralised ASPECTS label map (ids 0..20) on the CT's grid
     * @param ctDir folder of the CT copy ({@code <subject>_ct_0001.dcm} ...)
     * @param segFile the Segmentation
     */
    public static void write(ImageVolume ct, ImageVolume labels, Path ctDir, Path segFile, String subject,
            String study, String series) throws IOException {
        write(ct, labels, null, ctDir, segFile, subject, study, series);
    }

    /**
     * As {@link #write(ImageVolume, ImageVolume, Path, Path, String, String, String)}, plus the U-Net's lesion map
     * as one more segment after the regions.
     *
     * @param lesion the 0/1 lesion map on the CT's grid, or null (a model without a lesion head, label transfer)
     */
    public static void write(ImageVolume ct, ImageVolume labels, ImageVolume lesion, Path ctDir, Path segFile,
            String subject, String study, String series) throws IOException {
        if (!labels.sameGrid(ct, 1e-3) || lesion != null && !lesion.sameGrid(ct, 1e-3)) {
            throw new IllegalArgumentException("labels or lesion map and CT are on different grids: the "
                    + "Segmentation's frames are the CT copy's slices");
        }
        Uids uids = new Uids(subject, study, series);
        CtSeriesCopy.Written copy = CtSeriesCopy.write(ct, ctDir, uids, subject);
        SegmentationObject.write(labels, lesion, copy, segFile, uids, subject);
    }

    /** The UIDs of the CT copy and the SEG: 2.25 + SHA-256 of the pseudonyms, as the SC's. */
    record Uids(String subject, String study, String series) {

        String studyUid() {
            return ReportDicom.studyUid(subject, study);
        }

        String frameOfReference() {
            return ReportDicom.uid("frame-of-reference", subject, study, series, "aspects-scan-ct");
        }

        String ctSeries() {
            return ReportDicom.uid("series", subject, study, series, "aspects-scan-ct");
        }

        String ctInstance(int k) {
            return ReportDicom.uid("instance", subject, study, series, "aspects-scan-ct", Integer.toString(k + 1));
        }

        String segSeries() {
            return ReportDicom.uid("series", subject, study, series, "aspects-scan-seg");
        }

        String segInstance() {
            return ReportDicom.uid("instance", subject, study, series, "aspects-scan-seg", "1");
        }

        String dimensionOrganization() {
            return ReportDicom.uid("dimension-organization", subject, study, series, "aspects-scan-seg");
        }
    }

    /** Patient, General Study and General Equipment as in the SC: the pseudonym, no dates, no source identity. */
    static void patientStudyEquipment(AttributeList l, String subject, Uids uids) throws DicomException {
        put(l, new CodeStringAttribute(TagFromName.SpecificCharacterSet), "ISO_IR 100");
        put(l, new PersonNameAttribute(TagFromName.PatientName), subject + "^");
        put(l, new LongStringAttribute(TagFromName.PatientID), subject);
        put(l, new DateAttribute(TagFromName.PatientBirthDate));
        put(l, new CodeStringAttribute(TagFromName.PatientSex));
        put(l, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), uids.studyUid());
        put(l, new DateAttribute(TagFromName.StudyDate));
        put(l, new TimeAttribute(TagFromName.StudyTime));
        put(l, new PersonNameAttribute(TagFromName.ReferringPhysicianName));
        put(l, new ShortStringAttribute(TagFromName.StudyID), "ASPECTS");
        put(l, new ShortStringAttribute(TagFromName.AccessionNumber));
        put(l, new LongStringAttribute(TagFromName.Manufacturer), "DeepStroke");
        put(l, new LongStringAttribute(TagFromName.SoftwareVersions), "deepstroke " + Version.get());
    }

    /** Part 10, Explicit VR Little Endian, atomically (a killed run leaves no half-written object). */
    static void writeFile(AttributeList l, Path file) throws IOException, DicomException {
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "DEEPSTROKE");
        AtomicFiles.write(file, out -> {
            try {
                l.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
            } catch (DicomException e) {
                throw new IOException(e.getMessage(), e);
            }
        });
    }
}
