package org.deepstroke.phantom.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomDirectory;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The phantom's only contact with PixelMed: turns {@link DicomDataset}s into PixelMed attribute lists and writes
 * Part 10 files and the DICOMDIR (PixelMed's {@link DicomDirectory}, whose records come from its
 * DicomDirectoryRecordFactory).
 */
public final class PixelMedDicom implements DicomFileWriter, FileSetWriter {

    /** SOP class of the DICOMDIR (Media Storage Directory Storage). */
    static final String MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";
    static final String SOURCE_AE = "DEEPSTROKE";

    private final SpecificCharacterSet charset = new SpecificCharacterSet(new String[] {"ISO_IR 100"});

    @Override
    public void write(DicomDataset dataset, Path file) throws IOException {
        AttributeList list = toAttributeList(dataset);
        String sopClass = dataset.string(Tags.SOPClassUID);
        String sopInstance = dataset.string(Tags.SOPInstanceUID);
        if (sopClass == null || sopInstance == null) {
            throw new IllegalArgumentException("data set without SOPClassUID/SOPInstanceUID for " + file);
        }
        try {
            FileMetaInformation.addFileMetaInformation(list, sopClass, sopInstance, TransferSyntax.ExplicitVRLittleEndian,
                    SOURCE_AE);
        } catch (DicomException e) {
            throw new IOException("cannot make the file meta information of " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, out -> writeList(list, out, file));
    }

    private static void writeList(AttributeList list, OutputStream out, Path file) throws IOException {
        try {
            list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, false);
        } catch (DicomException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The PixelMed attribute list of a data set (used by tests and the DICOMDIR). */
    public AttributeList toAttributeList(DicomDataset dataset) throws IOException {
        try {
            AttributeList list = new AttributeList();
            for (DicomDataset.Element e : dataset.elements()) {
                list.put(toAttribute(e));
            }
            return list;
        } catch (DicomException e) {
            throw new IOException("cannot build a DICOM attribute list: " + e.getMessage(), e);
        }
    }

    private Attribute toAttribute(DicomDataset.Element e) throws DicomException, IOException {
        AttributeTag tag = new AttributeTag(e.tag() >>> 16, e.tag() & 0xffff);
        if (e.vr().equals("SQ")) {
            SequenceAttribute sq = new SequenceAttribute(tag);
            @SuppressWarnings("unchecked")
            List<DicomDataset> items = (List<DicomDataset>) e.value();
            for (DicomDataset item : items) {
                sq.addItem(toAttributeList(item));
            }
            return sq;
        }
        Attribute a = AttributeFactory.newAttribute(tag, e.vr().getBytes(StandardCharsets.US_ASCII), charset);
        Object v = e.value();
        if (v instanceof String[] strings) {
            for (String s : strings) {
                a.addValue(s);
            }
        } else if (v instanceof int[] ints) {
            for (int i : ints) {
                a.addValue(i);
            }
        } else if (v instanceof long[] longs) {
            for (long l : longs) {
                a.addValue(l);
            }
        } else if (v instanceof double[] doubles) {
            for (double d : doubles) {
                a.addValue(d);
            }
        } else if (v instanceof short[] words) {
            a.setValues(words);
        } else if (v instanceof byte[] bytes) {
            a.setValues(bytes);
        } else {
            throw new IllegalArgumentException("unsupported value for " + e);
        }
        return a;
    }

    @Override
    public void write(Path root, List<Entry> entries, String fileSetUid, String fileSetId) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::relativePath));
        DicomDirectory directory = new DicomDirectory();
        try {
            for (Entry entry : sorted) {
                checkFileId(entry.relativePath());
                AttributeList header = toAttributeList(entry.header().copy().remove(Tags.PixelData));
                directory.addAttributeListFromDicomFileToDirectory(header,
                        entry.relativePath().replace('/', File.separatorChar));
            }
            Map<String, String> listed = directory.getMapOfSOPInstanceUIDToReferencedFileName(root.toString());
            if (listed.size() != sorted.size()) {
                throw new IOException("the DICOMDIR lists " + listed.size() + " of " + sorted.size() + " files");
            }
            AttributeList list = buildDeterministic(directory, fileSetUid, fileSetId);
            Path target = root.resolve("DICOMDIR");
            Files.createDirectories(root);
            AtomicFiles.write(target, out -> writeList(list, out, target));
        } catch (DicomException e) {
            throw new IOException("cannot build the DICOMDIR: " + e.getMessage(), e);
        }
    }

    /**
     * PixelMed's {@link DicomDirectory#write(String)} gives the DICOMDIR a fresh time-based SOP instance UID. We need
     * byte-identical output for the same seed, so this runs the same steps as that method (build the attribute
     * list from the record tree, compute the item offsets with a dry-run write, fix the offsets up) with the file
     * meta information made from our own UID before the offsets are computed.
     */
    private static AttributeList buildDeterministic(DicomDirectory directory, String uid, String fileSetId)
            throws IOException, DicomException {
        try {
            Method build = DicomDirectory.class.getDeclaredMethod("walkTreeToBuildAttributeList");
            Method fixUp = DicomDirectory.class.getDeclaredMethod("walkTreeToFixUpOffsetsInAttributeList",
                    AttributeList.class);
            build.setAccessible(true);
            fixUp.setAccessible(true);
            AttributeList list = (AttributeList) build.invoke(directory);
            FileMetaInformation.addFileMetaInformation(list, MEDIA_STORAGE_DIRECTORY, uid,
                    TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
            Attribute id = new CodeStringAttribute(TagFromName.FileSetID);
            id.addValue(fileSetId);
            list.put(id);
            list.write(OutputStream.nullOutputStream(), TransferSyntax.ExplicitVRLittleEndian, true, true, true);
            fixUp.invoke(directory, list);
            return list;
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IOException("this PixelMed version lacks DicomDirectory's internal build steps ("
                    + e.getMessage() + "); the phantom supports PixelMed 20220618", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DicomException d) {
                throw d;
            }
            throw new IOException("building the DICOMDIR failed: " + cause, cause);
        }
    }

    /** PS3.10 file IDs: up to 8 components of 1-8 characters from A-Z, 0-9 and _. */
    static void checkFileId(String relativePath) {
        String[] parts = relativePath.split("/");
        if (parts.length > 8) {
            throw new IllegalArgumentException("more than 8 path components: " + relativePath);
        }
        for (String p : parts) {
            if (!p.matches("[A-Z0-9_]{1,8}")) {
                throw new IllegalArgumentException("not a valid DICOM file ID component: '" + p + "' in " + relativePath);
            }
        }
    }
}
