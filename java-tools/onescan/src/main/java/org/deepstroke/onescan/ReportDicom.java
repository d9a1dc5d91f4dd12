package org.deepstroke.onescan;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.LongTextAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The report picture as a DICOM Secondary Capture (PixelMed), for viewers where clinicians look. Pseudonymous like
 * every output: Patient ID and Name are the subject's keyed pseudonym, the study/series/instance UIDs are derived
 * from the pseudonyms (2.25 + 128 bits of SHA-256), so no source identifier or UID is copied. Filing it next to the
 * source study in a PACS would need the source's patient and study identity: deliberately not done here. The
 * object says "research use only, not a medical device" (Series Description, Image Comments) and declares its
 * burned-in text.
 */
public final class ReportDicom {

    private ReportDicom() {
    }

    public static void writeSecondaryCapture(Path png, Path file, String subject, String study, String series,
            int score) throws IOException {
        // the PNG reader itself: ImageIO.read would also probe PixelMed's JPEG-lossless reader, which prints a line
        BufferedImage img;
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            reader.setInput(in);
            img = reader.read(0);
        } finally {
            reader.dispose();
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3 + ((w * h * 3) % 2)];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                rgb[k++] = (byte) (p >> 16);
                rgb[k++] = (byte) (p >> 8);
                rgb[k++] = (byte) p;
            }
        }
        String studyUid = studyUid(subject, study);
        String seriesUid = uid("series", subject, study, series, "aspects-scan-report");
        String instanceUid = uid("instance", subject, study, series, "aspects-scan-report", "1");
        try {
            AttributeList l = new AttributeList();
            put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.SecondaryCaptureImageStorage);
            put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), instanceUid);
            put(l, new CodeStringAttribute(TagFromName.SpecificCharacterSet), "ISO_IR 100");
            put(l, new PersonNameAttribute(TagFromName.PatientName), subject + "^"); // family name component
            put(l, new LongStringAttribute(TagFromName.PatientID), subject);
            put(l, new DateAttribute(TagFromName.PatientBirthDate), null);
            put(l, new CodeStringAttribute(TagFromName.PatientSex), null);
            put(l, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyUid);
            put(l, new DateAttribute(TagFromName.StudyDate), null);
            put(l, new TimeAttribute(TagFromName.StudyTime), null);
            put(l, new PersonNameAttribute(TagFromName.ReferringPhysicianName), null);
            put(l, new ShortStringAttribute(TagFromName.StudyID), "ASPECTS");
            put(l, new ShortStringAttribute(TagFromName.AccessionNumber), null);
            put(l, new CodeStringAttribute(TagFromName.Modality), "OT");
            put(l, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesUid);
            put(l, new IntegerStringAttribute(TagFromName.SeriesNumber), "9901");
            put(l, new CodeStringAttribute(TagFromName.Laterality), null); // type 2C; the head is not paired
            put(l, new LongStringAttribute(TagFromName.SeriesDescription), "ASPECTS " + score
                    + " RESEARCH USE ONLY");
            put(l, new LongStringAttribute(TagFromName.Manufacturer), "DeepStroke");
            put(l, new LongStringAttribute(TagFromName.SoftwareVersions), "deepstroke " + Version.get());
            put(l, new CodeStringAttribute(TagFromName.ConversionType), "WSD");
            put(l, new IntegerStringAttribute(TagFromName.InstanceNumber), "1");
            put(l, new CodeStringAttribute(TagFromName.PatientOrientation), null);
            put(l, new CodeStringAttribute(TagFromName.ImageType), "DERIVED", "SECONDARY");
            put(l, new CodeStringAttribute(TagFromName.BurnedInAnnotation), "YES");
            put(l, new LongTextAttribute(TagFromName.ImageComments), ReportPage.DISCLAIMER + " ASPECTS " + score
                    + ", aspects-scan report picture (BG and SG levels).");
            put(l, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), "3");
            put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "RGB");
            put(l, new UnsignedShortAttribute(TagFromName.PlanarConfiguration), "0");
            put(l, new UnsignedShortAttribute(TagFromName.Rows), Integer.toString(h));
            put(l, new UnsignedShortAttribute(TagFromName.Columns), Integer.toString(w));
            put(l, new UnsignedShortAttribute(TagFromName.BitsAllocated), "8");
            put(l, new UnsignedShortAttribute(TagFromName.BitsStored), "8");
            put(l, new UnsignedShortAttribute(TagFromName.HighBit), "7");
            put(l, new UnsignedShortAttribute(TagFromName.PixelRepresentation), "0");
            OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
            pixels.setValues(rgb);
            l.put(pixels);
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "DEEPSTROKE");
            AtomicFiles.write(file, out -> {
                try {
                    l.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
                } catch (DicomException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        } catch (DicomException e) {
            throw new IOException("cannot build the Secondary Capture: " + e.getMessage(), e);
        }
    }

    /** The pseudonymous study of every DICOM output of one scan (the SC, the CT copy, the SEG): one study. */
    static String studyUid(String subject, String study) {
        return uid("study", subject, study);
    }

    static void put(AttributeList l, Attribute a, String... values) throws DicomException {
        if (values != null) {
            for (String v : values) {
                if (v != null) {
                    a.addValue(v);
                }
            }
        }
        l.put(a);
    }

    /** 2.25.&lt;128-bit integer&gt; from SHA-256 of the parts: stable for the same pseudonyms, no source UID in it. */
    static String uid(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
            byte[] first = new byte[16];
            System.arraycopy(d, 0, first, 0, 16);
            return "2.25." + new BigInteger(1, first);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
