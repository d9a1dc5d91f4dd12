package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDirectory;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deepstroke.core.testing.ProjectPaths;

/** Reading our output back with PixelMed, as a real client, and finding the reference DICOM programs. */
final class DicomRead {

    private DicomRead() {
    }

    static AttributeList read(Path file) {
        try {
            AttributeList list = new AttributeList();
            list.read(file.toFile());
            return list;
        } catch (IOException | DicomException e) {
            return fail("PixelMed cannot read " + file + ": " + e);
        }
    }

    static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrNull(list, tag);
    }

    static double[] doubles(AttributeList list, AttributeTag tag) {
        try {
            Attribute a = list.get(tag);
            assertNotNull(a, "missing " + tag);
            return a.getDoubleValues();
        } catch (DicomException e) {
            return fail(e.toString());
        }
    }

    /** SOP Instance UID -> file, as the DICOMDIR (read by PixelMed) lists them. */
    static Map<String, Path> dicomdir(Path fileSetRoot) {
        try {
            AttributeList list = read(fileSetRoot.resolve("DICOMDIR"));
            DicomDirectory dir = new DicomDirectory(list);
            Map<String, Path> out = new TreeMap<>();
            for (Map.Entry<String, String> e : dir.getMapOfSOPInstanceUIDToReferencedFileName(fileSetRoot.toString())
                    .entrySet()) {
                out.put(e.getKey(), Path.of(e.getValue()));
            }
            return out;
        } catch (DicomException e) {
            return fail("PixelMed cannot interpret the DICOMDIR: " + e);
        }
    }

    private static final Map<Path, Map<String, List<Path>>> SERIES_CACHE = new java.util.HashMap<>();

    /** The files of one series (by Series Instance UID), sorted by Instance Number (headers read once per
     * file-set). */
    static synchronized List<Path> seriesFiles(Path fileSetRoot, String seriesUid) {
        Map<String, List<Path>> bySeries = SERIES_CACHE.get(fileSetRoot);
        if (bySeries == null) {
            bySeries = new java.util.HashMap<>();
            Map<Path, Integer> number = new java.util.HashMap<>();
            for (Path f : dicomdir(fileSetRoot).values()) {
                AttributeList l = headerOnly(f);
                bySeries.computeIfAbsent(string(l, TagFromName.SeriesInstanceUID), x -> new ArrayList<>()).add(f);
                number.put(f, Integer.parseInt(string(l, TagFromName.InstanceNumber)));
            }
            for (List<Path> files : bySeries.values()) {
                files.sort(Comparator.comparing(number::get));
            }
            SERIES_CACHE.put(fileSetRoot, bySeries);
        }
        return List.copyOf(bySeries.getOrDefault(seriesUid, List.of()));
    }

    static AttributeList headerOnly(Path file) {
        try {
            AttributeList list = new AttributeList();
            list.read(file.toString(), TagFromName.PixelData);
            return list;
        } catch (IOException | DicomException e) {
            return fail("PixelMed cannot read " + file + ": " + e);
        }
    }

    /** A CT series in HU as PixelMed reads it: values[k][row * columns + column], with its DICOM geometry. */
    record Series(int columns, int rows, double pixelSpacing, double[] orientation, List<double[]> positions,
            List<float[]> hu, List<AttributeList> headers) {

        /** LPS of pixel (c, r) of slice k from Image Position/Orientation and Pixel Spacing. */
        double[] lps(int c, int r, int k) {
            double[] p = positions.get(k);
            double[] o = orientation;
            return new double[] {
                p[0] + pixelSpacing * (c * o[0] + r * o[3]),
                p[1] + pixelSpacing * (c * o[1] + r * o[4]),
                p[2] + pixelSpacing * (c * o[2] + r * o[5])};
        }
    }

    static Series series(List<Path> files) {
        List<double[]> positions = new ArrayList<>();
        List<float[]> hu = new ArrayList<>();
        List<AttributeList> headers = new ArrayList<>();
        int cols = 0;
        int rows = 0;
        double ps = 0;
        double[] orientation = null;
        for (Path f : files) {
            AttributeList l = read(f);
            cols = Integer.parseInt(string(l, TagFromName.Columns));
            rows = Integer.parseInt(string(l, TagFromName.Rows));
            ps = doubles(l, TagFromName.PixelSpacing)[0];
            orientation = doubles(l, TagFromName.ImageOrientationPatient);
            positions.add(doubles(l, TagFromName.ImagePositionPatient));
            double slope = doubles(l, TagFromName.RescaleSlope)[0];
            double intercept = doubles(l, TagFromName.RescaleIntercept)[0];
            short[] px;
            try {
                px = l.getPixelData().getShortValues();
            } catch (DicomException e) {
                return fail(e.toString());
            }
            assertEquals(cols * rows, px.length, "pixel count of " + f);
            float[] v = new float[px.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((px[i] & 0xffff) * slope + intercept);
            }
            hu.add(v);
            l.remove(TagFromName.PixelData);
            headers.add(l);
        }
        return new Series(cols, rows, ps, orientation, positions, hu, headers);
    }

    /** A DCMTK program (dcmdump): .tools/dicom-tools/bin first, then PATH. dcm2niix: ProjectPaths.dcm2niix(). */
    static String tool(String name) {
        Path priv = ProjectPaths.root().resolve(".tools/dicom-tools/bin").resolve(name);
        if (Files.isExecutable(priv)) {
            return priv.toString();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir).resolve(name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(name + " not found: run bin/setup/install-dicom-tools.sh <project-root> (or `make setup`)");
    }
}
