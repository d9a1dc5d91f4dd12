package org.deepstroke.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Hand-made DICOMDIRs for the robustness tests (records in hierarchy order, offsets left 0 on purpose). */
final class TestFileSets {

    /** One directory record: PATIENT / STUDY / SERIES (with uid) or IMAGE (with file id components). */
    record Rec(String type, String uid, List<String> fileId) {
        static Rec patient() {
            return new Rec("PATIENT", null, null);
        }

        static Rec study(String uid) {
            return new Rec("STUDY", uid, null);
        }

        static Rec series(String uid) {
            return new Rec("SERIES", uid, null);
        }

        static Rec image(String... fileId) {
            return new Rec("IMAGE", null, List.of(fileId));
        }
    }

    private TestFileSets() {
    }

    static void writeDicomdir(Path file, List<Rec> records) throws Exception {
        AttributeList list = new AttributeList();
        FileMetaInformation.addFileMetaInformation(list, "1.2.840.10008.1.3.10", "1.2.3.4.5.6.7.8.9",
                TransferSyntax.ExplicitVRLittleEndian, "TEST");
        SequenceAttribute seq = new SequenceAttribute(new AttributeTag(0x0004, 0x1220));
        for (Rec r : records) {
            AttributeList item = new AttributeList();
            put(item, new UnsignedLongAttribute(new AttributeTag(0x0004, 0x1400)), "0");
            put(item, new UnsignedLongAttribute(new AttributeTag(0x0004, 0x1420)), "0");
            put(item, new CodeStringAttribute(new AttributeTag(0x0004, 0x1430)), r.type());
            if (r.type().equals("SERIES")) {
                put(item, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), r.uid());
            }
            if (r.type().equals("STUDY")) {
                put(item, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), r.uid());
            }
            if (r.fileId() != null) {
                Attribute id = new CodeStringAttribute(new AttributeTag(0x0004, 0x1500));
                for (String c : r.fileId()) {
                    id.addValue(c);
                }
                item.put(id);
            }
            seq.addItem(item);
        }
        list.put(seq);
        Files.createDirectories(file.getParent());
        list.write(file.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static void put(AttributeList list, Attribute a, String value) throws Exception {
        a.addValue(value);
        list.put(a);
    }

    /** A header value of a DICOM file. */
    static String value(Path file, AttributeTag tag) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }

    /** Copies a DICOM file with one UID attribute replaced. */
    static void copyWith(Path from, Path to, AttributeTag tag, String newValue) throws Exception {
        AttributeList list = new AttributeList();
        list.read(from.toFile());
        Attribute a = new UniqueIdentifierAttribute(tag);
        a.addValue(newValue);
        list.put(a);
        Files.createDirectories(to.getParent());
        list.write(to.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }
}
