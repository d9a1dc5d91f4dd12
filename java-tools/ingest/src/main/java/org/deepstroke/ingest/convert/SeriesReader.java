package org.deepstroke.ingest.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.ingest.dicom.DicomFormatException;
import org.deepstroke.ingest.dicom.DicomImage;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.dicom.InstanceHeader;
import org.deepstroke.ingest.dicom.TransferSyntaxes;
import org.deepstroke.ingest.rules.IngestRules;

/** Reads one series' headers and plans its grid: the shared first step of dicom-to-nifti and overlay-extract. */
public final class SeriesReader {

    /** The files and headers of a series, with its planned grid. */
    public record Series(List<Path> files, List<InstanceHeader> headers, SeriesGeometry geometry) {
        /** The file of the k-th slice along the normal. */
        public Path sortedFile(int k) {
            return files.get(geometry.sortedIndex(k));
        }

        /** The decoded k-th slice (in slice order); a file that cannot be decoded fails naming it. */
        public DicomImage readImage(int k, DicomSource dicom) throws IOException {
            try {
                return dicom.readImage(sortedFile(k));
            } catch (DicomFormatException e) {
                throw new ToolFailure(sortedFile(k), e.getMessage());
            }
        }

        public InstanceHeader sortedHeader(int k) {
            return headers.get(geometry.sortedIndex(k));
        }

        public InstanceHeader first() {
            return headers.get(0);
        }
    }

    private SeriesReader() {
    }

    public static Series read(List<Path> files, DicomSource dicom, IngestRules.Convert rules) throws IOException {
        if (files.isEmpty()) {
            throw new ToolFailure("no DICOM files given");
        }
        List<InstanceHeader> headers = new ArrayList<>(files.size());
        String series = null;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new ToolFailure(f, "no such file");
            }
            InstanceHeader h;
            try {
                h = dicom.readHeader(f);
            } catch (DicomFormatException e) {
                throw new ToolFailure(f, e.getMessage());
            }
            if (h.truncated()) {
                throw new ToolFailure(f, "truncated file (pixel data incomplete)");
            }
            if (!h.hasPixelData()) {
                throw new ToolFailure(f, "no pixel data");
            }
            if (!TransferSyntaxes.decodable(h.transferSyntaxUid())) {
                throw new ToolFailure(f, "unsupported transfer syntax " + TransferSyntaxes.name(h.transferSyntaxUid())
                        + " (decoded: native, deflated, RLE and lossless JPEG)");
            }
            if (h.frames() > 1) {
                throw new ToolFailure(f, "multi-frame image (" + h.frames() + " frames): not supported");
            }
            if (series == null) {
                series = h.seriesUid();
            } else if (!series.equals(h.seriesUid())) {
                throw new ToolFailure(f, "files from more than one series given (this one's series differs from "
                        + files.get(0) + "'s)");
            }
            headers.add(h);
        }
        try {
            return new Series(List.copyOf(files), List.copyOf(headers), SeriesGeometry.plan(headers, rules));
        } catch (SeriesGeometry.GeometryException e) {
            // Name the slice that differs, else the series by its first file (issue 16: these named no file).
            Path named = e.slice() >= 0 ? files.get(e.slice()) : files.get(0);
            String of = e.slice() >= 0 || files.size() == 1 ? "" : " (series of " + files.size() + " files)";
            throw new ToolFailure(named, "series rejected (" + e.code() + "): " + e.getMessage() + of);
        }
    }
}
