package org.deepstroke.onescan;

import static org.deepstroke.onescan.ReportDicom.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.ShortTextAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.onescan.ReportSegmentation.Uids;

/**
 * The label map as a BINARY Segmentation: one segment per ASPECTS region present, one frame per (segment, slice)
 * where the slice holds that region, each frame referencing its CT copy slice. Sparse frames keep the object small:
 * a region covers a few slices of a 5 mm series. A U-Net lesion map, when given, is one more segment after the
 * regions (it overlaps them: BINARY segments may).
 */
final class SegmentationObject {

    /** The private coding scheme of the region codes (DICOM PS3.16: "99" + the organisation). */
    static final String SCHEME = "99DEEPSTROKE";

    /** (0062,0009), absent from PixelMed's TagFromName. */
    private static final AttributeTag SEGMENT_ALGORITHM_NAME = new AttributeTag(0x0062, 0x0009);

    /** The lesion segment's label, as a viewer lists it. */
    static final String LESION_LABEL = "Early ischaemic change (U-Net lesion head)";

    /** One frame: the segment it belongs to, the map it shows ({@code value}'s voxels of {@code source}), its slice. */
    record Frame(int segment, ImageVolume source, int value, int slice) {
    }

    private SegmentationObject() {
    }

    /** @param lesion the 0/1 lesion map on the labels' grid, or null (no lesion segment) */
    static void write(ImageVolume labels, ImageVolume lesion, CtSeriesCopy.Written ct, Path file, Uids uids,
            String subject) throws IOException {
        List<AspectsRegion> regions = new ArrayList<>();
        List<Frame> frames = frames(labels, regions);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no ASPECTS region (ids 1..20) in the label map: nothing to segment");
        }
        if (lesion != null) {
            frames.addAll(lesionFrames(lesion, regions.size() + 1));
        }
        try {
            AttributeList l = new AttributeList();
            header(l, ct, uids, subject);
            SequenceAttribute segments = segments(regions);
            if (lesion != null) {
                segments.addItem(lesionSegment(regions.size() + 1));
            }
            l.put(segments);
            l.put(sharedGroups(ct.geometry()));
            l.put(perFrameGroups(frames, ct));
            dimensions(l, uids);
            references(l, ct);
            pixels(l, labels.nx(), labels.ny(), frames);
            ReportSegmentation.writeFile(l, file);
        } catch (DicomException e) {
            throw new IOException("cannot build the Segmentation: " + e.getMessage(), e);
        }
    }

    /** The frames, segment by segment (ascending label id), slice by slice; fills {@code regions} in that order. */
    static List<Frame> frames(ImageVolume labels, List<AspectsRegion> regions) {
        boolean[][] has = new boolean[AspectsRegion.all().size() + 1][labels.nz()];
        float[] d = labels.data();
        int perSlice = labels.nx() * labels.ny();
        for (int n = 0; n < d.length; n++) {
            int id = Math.round(d[n]);
            if (id >= 1 && id < has.length) {
                has[id][n / perSlice] = true;
            }
        }
        List<Frame> frames = new ArrayList<>();
        for (int id = 1; id < has.length; id++) {
            int before = frames.size();
            for (int k = 0; k < labels.nz(); k++) {
                if (has[id][k]) {
                    frames.add(new Frame(regions.size() + 1, labels, id, k));
                }
            }
            if (frames.size() > before) {
                regions.add(AspectsRegion.ofId(id));
            }
        }
        return frames;
    }

    /**
     * The lesion segment's frames: only slices with a lesion voxel. An empty map still gets its segment (without
     * frames): the head ran and found nothing, which differs from a model without a head.
     */
    static List<Frame> lesionFrames(ImageVolume lesion, int segment) {
        boolean[] has = new boolean[lesion.nz()];
        float[] d = lesion.data();
        int perSlice = lesion.nx() * lesion.ny();
        for (int n = 0; n < d.length; n++) {
            has[n / perSlice] |= Math.round(d[n]) == 1;
        }
        List<Frame> frames = new ArrayList<>();
        for (int k = 0; k < has.length; k++) {
            if (has[k]) {
                frames.add(new Frame(segment, lesion, 1, k));
            }
        }
        return frames;
    }

    /** When the object was made: SOURCE_DATE_EPOCH (whole seconds) when given, else now; UTC. */
    static ZonedDateTime made(String epoch) {
        if (epoch != null && epoch.matches("\\d{1,12}")) {
            return java.time.Instant.ofEpochSecond(Long.parseLong(epoch)).atZone(ZoneOffset.UTC);
        }
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    private static void header(AttributeList l, CtSeriesCopy.Written ct, Uids uids, String subject)
            throws DicomException {
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.SegmentationStorage);
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), uids.segInstance());
        ReportSegmentation.patientStudyEquipment(l, subject, uids);
        put(l, new CodeStringAttribute(TagFromName.Modality), "SEG");
        put(l, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), uids.segSeries());
        put(l, new IntegerStringAttribute(TagFromName.SeriesNumber), "9903");
        put(l, new LongStringAttribute(TagFromName.SeriesDescription), "ASPECTS regions. "
                + ReportSegmentation.NOTICE);
        put(l, new UniqueIdentifierAttribute(TagFromName.FrameOfReferenceUID), ct.frameOfReferenceUid());
        put(l, new LongStringAttribute(TagFromName.PositionReferenceIndicator));
        put(l, new LongStringAttribute(TagFromName.ManufacturerModelName), "aspects-scan");
        put(l, new LongStringAttribute(TagFromName.DeviceSerialNumber), "none");
        put(l, new IntegerStringAttribute(TagFromName.InstanceNumber), "1");
        // type 1 in the multi-frame module: when this object was made, not when the patient was scanned;
        // SOURCE_DATE_EPOCH (seconds), when set, makes the object byte-identical across runs
        ZonedDateTime now = made(System.getenv("SOURCE_DATE_EPOCH"));
        put(l, new DateAttribute(TagFromName.ContentDate), now.format(DateTimeFormatter.ofPattern("yyyyMMdd")));
        put(l, new TimeAttribute(TagFromName.ContentTime), now.format(DateTimeFormatter.ofPattern("HHmmss")));
        put(l, new CodeStringAttribute(TagFromName.ImageType), "DERIVED", "PRIMARY");
        put(l, new CodeStringAttribute(TagFromName.ContentLabel), "ASPECTS_REGIONS");
        put(l, new LongStringAttribute(TagFromName.ContentDescription), ReportSegmentation.NOTICE);
        put(l, new PersonNameAttribute(TagFromName.ContentCreatorName), "deepstroke^aspects-scan");
        put(l, new CodeStringAttribute(TagFromName.SegmentationType), "BINARY");
        put(l, new CodeStringAttribute(TagFromName.LossyImageCompression), "00");
        SequenceAttribute schemes = new SequenceAttribute(TagFromName.CodingSchemeIdentificationSequence);
        AttributeList scheme = new AttributeList();
        put(scheme, new ShortStringAttribute(TagFromName.CodingSchemeDesignator), SCHEME);
        put(scheme, new ShortTextAttribute(TagFromName.CodingSchemeName), "DeepStroke ASPECTS regions");
        put(scheme, new ShortTextAttribute(TagFromName.CodingSchemeResponsibleOrganization), "DeepStroke");
        schemes.addItem(scheme);
        l.put(schemes);
    }

    private static SequenceAttribute segments(List<AspectsRegion> regions) throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(TagFromName.SegmentSequence);
        for (int n = 0; n < regions.size(); n++) {
            AspectsRegion r = regions.get(n);
            AttributeList item = new AttributeList();
            put(item, new UnsignedShortAttribute(TagFromName.SegmentNumber), Integer.toString(n + 1));
            put(item, new LongStringAttribute(TagFromName.SegmentLabel), r.code() + " " + r.side());
            put(item, new CodeStringAttribute(TagFromName.SegmentAlgorithmType), "AUTOMATIC");
            put(item, new LongStringAttribute(SEGMENT_ALGORITHM_NAME), "deepstroke aspects-scan");
            item.put(CodedSequenceItem.newCodedSequenceAttribute(TagFromName.SegmentedPropertyCategoryCodeSequence,
                    new CodedSequenceItem("91723000", "SCT", "Anatomical Structure")));
            item.put(propertyType(r));
            seq.addItem(item);
        }
        return seq;
    }

    /** The lesion in SNOMED CT (standard codes, unlike the regions): a morphologically altered structure, infarct. */
    private static AttributeList lesionSegment(int number) throws DicomException {
        AttributeList item = new AttributeList();
        put(item, new UnsignedShortAttribute(TagFromName.SegmentNumber), Integer.toString(number));
        put(item, new LongStringAttribute(TagFromName.SegmentLabel), LESION_LABEL);
        put(item, new CodeStringAttribute(TagFromName.SegmentAlgorithmType), "AUTOMATIC");
        put(item, new LongStringAttribute(SEGMENT_ALGORITHM_NAME), "deepstroke U-Net lesion head");
        item.put(CodedSequenceItem.newCodedSequenceAttribute(TagFromName.SegmentedPropertyCategoryCodeSequence,
                new CodedSequenceItem("49755003", "SCT", "Morphologically Altered Structure")));
        item.put(CodedSequenceItem.newCodedSequenceAttribute(TagFromName.SegmentedPropertyTypeCodeSequence,
                new CodedSequenceItem("55641003", "SCT", "Infarct")));
        return item;
    }

    /** The region code in our private scheme; the side as DICOM states laterality: a modifier inside the item. */
    private static SequenceAttribute propertyType(AspectsRegion r) throws DicomException {
        CodedSequenceItem type = new CodedSequenceItem(r.code(), SCHEME, "ASPECTS " + r.code() + " ("
                + r.description() + ")");
        type.getAttributeList().put(CodedSequenceItem.newCodedSequenceAttribute(
                TagFromName.SegmentedPropertyTypeModifierCodeSequence, r.side() == AspectsRegion.Side.L
                        ? new CodedSequenceItem("7771000", "SCT", "Left")
                        : new CodedSequenceItem("24028007", "SCT", "Right")));
        return CodedSequenceItem.newCodedSequenceAttribute(TagFromName.SegmentedPropertyTypeCodeSequence, type);
    }

    private static SequenceAttribute sharedGroups(SliceGeometry g) throws DicomException {
        AttributeList measures = new AttributeList();
        put(measures, new DecimalStringAttribute(TagFromName.PixelSpacing), g.pixelSpacing());
        put(measures, new DecimalStringAttribute(TagFromName.SliceThickness), g.thickness());
        put(measures, new DecimalStringAttribute(TagFromName.SpacingBetweenSlices), g.thickness());
        AttributeList orientation = new AttributeList();
        put(orientation, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), g.orientation());
        AttributeList shared = new AttributeList();
        shared.put(single(TagFromName.PixelMeasuresSequence, measures));
        shared.put(single(TagFromName.PlaneOrientationSequence, orientation));
        return single(TagFromName.SharedFunctionalGroupsSequence, shared);
    }

    private static SequenceAttribute perFrameGroups(List<Frame> frames, CtSeriesCopy.Written ct)
            throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
        for (Frame f : frames) {
            AttributeList content = new AttributeList();
            put(content, new UnsignedLongAttribute(TagFromName.DimensionIndexValues), Integer.toString(f.segment()),
                    Integer.toString(f.slice() + 1));
            AttributeList position = new AttributeList();
            put(position, new DecimalStringAttribute(TagFromName.ImagePositionPatient),
                    ct.geometry().position(f.slice()));
            AttributeList segment = new AttributeList();
            put(segment, new UnsignedShortAttribute(TagFromName.ReferencedSegmentNumber),
                    Integer.toString(f.segment()));
            AttributeList group = new AttributeList();
            group.put(single(TagFromName.FrameContentSequence, content));
            group.put(single(TagFromName.PlanePositionSequence, position));
            group.put(single(TagFromName.SegmentIdentificationSequence, segment));
            group.put(derivation(ct.instanceUids().get(f.slice())));
            seq.addItem(group);
        }
        return seq;
    }

    /** The CT copy slice a frame was derived from, as the Derivation Image functional group states it. */
    private static SequenceAttribute derivation(String ctInstance) throws DicomException {
        AttributeList source = new AttributeList();
        put(source, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPClassUID), SOPClass.CTImageStorage);
        put(source, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPInstanceUID), ctInstance);
        source.put(CodedSequenceItem.newCodedSequenceAttribute(TagFromName.PurposeOfReferenceCodeSequence,
                new CodedSequenceItem("121322", "DCM", "Source image for image processing operation")));
        AttributeList derivation = new AttributeList();
        derivation.put(CodedSequenceItem.newCodedSequenceAttribute(TagFromName.DerivationCodeSequence,
                new CodedSequenceItem("113076", "DCM", "Segmentation")));
        derivation.put(single(TagFromName.SourceImageSequence, source));
        return single(TagFromName.DerivationImageSequence, derivation);
    }

    /** Frames are indexed by segment, then by position: the order viewers sort them in. */
    private static void dimensions(AttributeList l, Uids uids) throws DicomException {
        AttributeList organization = new AttributeList();
        put(organization, new UniqueIdentifierAttribute(TagFromName.DimensionOrganizationUID),
                uids.dimensionOrganization());
        l.put(single(TagFromName.DimensionOrganizationSequence, organization));
        SequenceAttribute index = new SequenceAttribute(TagFromName.DimensionIndexSequence);
        index.addItem(dimension(uids, TagFromName.ReferencedSegmentNumber, TagFromName.SegmentIdentificationSequence,
                "Segment"));
        index.addItem(dimension(uids, TagFromName.ImagePositionPatient, TagFromName.PlanePositionSequence,
                "Position"));
        l.put(index);
    }

    private static AttributeList dimension(Uids uids, AttributeTag pointer, AttributeTag group, String label)
            throws DicomException {
        AttributeList item = new AttributeList();
        put(item, new UniqueIdentifierAttribute(TagFromName.DimensionOrganizationUID), uids.dimensionOrganization());
        AttributeTagAttribute p = new AttributeTagAttribute(TagFromName.DimensionIndexPointer);
        p.addValue(pointer);
        item.put(p);
        AttributeTagAttribute g = new AttributeTagAttribute(TagFromName.FunctionalGroupPointer);
        g.addValue(group);
        item.put(g);
        put(item, new LongStringAttribute(TagFromName.DimensionDescriptionLabel), label);
        return item;
    }

    /** Common Instance Reference: the CT copy's series and every instance of it. */
    private static void references(AttributeList l, CtSeriesCopy.Written ct) throws DicomException {
        SequenceAttribute instances = new SequenceAttribute(TagFromName.ReferencedInstanceSequence);
        for (String uid : ct.instanceUids()) {
            AttributeList item = new AttributeList();
            put(item, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPClassUID), SOPClass.CTImageStorage);
            put(item, new UniqueIdentifierAttribute(TagFromName.ReferencedSOPInstanceUID), uid);
            instances.addItem(item);
        }
        AttributeList series = new AttributeList();
        put(series, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), ct.seriesUid());
        series.put(instances);
        l.put(single(TagFromName.ReferencedSeriesSequence, series));
    }

    /**
     * 1 bit per pixel, the frames one after the other without padding (PS3.5 8.1.1): pixel n of the whole stream is
     * bit n % 8 of byte n / 8, least significant bit first.
     */
    private static void pixels(AttributeList l, int columns, int rows, List<Frame> frames) throws DicomException {
        long bits = (long) rows * columns * frames.size();
        byte[] packed = new byte[Math.toIntExact((bits + 15) / 16 * 2)]; // even length
        long n = 0;
        for (Frame f : frames) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++, n++) {
                    if (Math.round(f.source().get(c, r, f.slice())) == f.value()) {
                        packed[(int) (n >>> 3)] |= (byte) (1 << (n & 7));
                    }
                }
            }
        }
        put(l, new IntegerStringAttribute(TagFromName.NumberOfFrames), Integer.toString(frames.size()));
        put(l, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), "1");
        put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        put(l, new UnsignedShortAttribute(TagFromName.Rows), Integer.toString(rows));
        put(l, new UnsignedShortAttribute(TagFromName.Columns), Integer.toString(columns));
        put(l, new UnsignedShortAttribute(TagFromName.BitsAllocated), "1");
        put(l, new UnsignedShortAttribute(TagFromName.BitsStored), "1");
        put(l, new UnsignedShortAttribute(TagFromName.HighBit), "0");
        put(l, new UnsignedShortAttribute(TagFromName.PixelRepresentation), "0");
        OtherByteAttribute data = new OtherByteAttribute(TagFromName.PixelData);
        data.setValues(packed);
        l.put(data);
    }

    private static SequenceAttribute single(AttributeTag tag, AttributeList item) {
        SequenceAttribute seq = new SequenceAttribute(tag);
        seq.addItem(item);
        return seq;
    }
}
