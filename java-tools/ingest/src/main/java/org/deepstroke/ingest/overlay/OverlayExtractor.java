package org.deepstroke.ingest.overlay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.ingest.convert.SeriesGeometry;
import org.deepstroke.ingest.convert.SeriesReader;
import org.deepstroke.ingest.dicom.DicomImage;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.dicom.InstanceHeader;
import org.deepstroke.ingest.dicom.OverlayPlane;

/**
 * Every overlay plane (each 60xx group: Overlay Data, or legacy bits in the pixel data) of a series, unioned into one
 * binary mask. Each plane is placed on its image by its Overlay Origin (1-based; parts outside the image are
 * dropped and counted); unusable groups (no data, data shorter than the raster, ...) are skipped with a warning.
 * The mask goes onto the series' own grid through the same {@link SeriesGeometry} as dicom-to-nifti (nearest
 * neighbour where the image is interpolated), or onto a reference volume's grid by each set pixel's world position.
 */
public final class OverlayExtractor {

    /** The mask with per-slice counts and what was skipped. */
    public record Result(ImageVolume mask, int[] perSlice, Map<String, Object> report, List<String> warnings) {
    }

    private OverlayExtractor() {
    }

    /** On the series' own grid (identical to dicom-to-nifti's for the same files and rules). */
    public static Result extract(SeriesReader.Series series, DicomSource dicom) throws Exception {
        SeriesGeometry g = series.geometry();
        Stats stats = new Stats();
        float[] data = g.resample(k -> raster(series, k, dicom, stats), true, 0f);
        for (int i = 0; i < data.length; i++) {
            data[i] = data[i] > 0.5f ? 1f : 0f;
        }
        ImageVolume mask = new ImageVolume(g.nx(), g.ny(), g.nz(), data, g.rasAffine(), 1);
        return finish(mask, stats, "own grid (as dicom-to-nifti)");
    }

    /** Onto {@code reference}'s grid: each set overlay pixel goes to the voxel nearest its world position. */
    public static Result extractOnto(SeriesReader.Series series, DicomSource dicom, ImageVolume reference)
            throws Exception {
        Stats stats = new Stats();
        float[] data = new float[reference.size()];
        Affine worldToVoxel = reference.voxelToWorld().inverse();
        double[] rc = series.geometry().rowCosines();
        double[] cc = series.geometry().columnCosines();
        for (int k = 0; k < series.geometry().sliceCount(); k++) {
            InstanceHeader h = series.sortedHeader(k);
            float[] r = raster(series, k, dicom, stats);
            double[] p = h.position();
            double[] sp = h.pixelSpacing();
            if (p == null || sp == null) {
                throw new ToolFailure(series.sortedFile(k), "no position/pixel spacing: cannot place overlays in the world");
            }
            double[] v = new double[3];
            for (int row = 0; row < h.rows(); row++) {
                for (int col = 0; col < h.columns(); col++) {
                    if (r[col + h.columns() * row] < 0.5f) {
                        continue;
                    }
                    double x = p[0] + col * sp[1] * rc[0] + row * sp[0] * cc[0];
                    double y = p[1] + col * sp[1] * rc[1] + row * sp[0] * cc[1];
                    double z = p[2] + col * sp[1] * rc[2] + row * sp[0] * cc[2];
                    worldToVoxel.apply(-x, -y, z, v); // LPS -> RAS
                    int i = (int) Math.round(v[0]);
                    int j = (int) Math.round(v[1]);
                    int m = (int) Math.round(v[2]);
                    if (reference.contains(i, j, m)) {
                        data[reference.index(i, j, m)] = 1f;
                    } else {
                        stats.outsideReference++;
                    }
                }
            }
        }
        ImageVolume mask = reference.withData(data);
        return finish(mask, stats, "reference volume's grid (world positions)");
    }

    private static final class Stats {
        final Map<String, Integer> groups = new TreeMap<>();
        final Map<String, Integer> warnings = new LinkedHashMap<>();
        long clipped;
        long planes;
        long setPixels;
        long outsideReference;
    }

    /** The union of a slice's usable overlay planes on its image raster (1 set, 0 not). */
    private static float[] raster(SeriesReader.Series series, int k, DicomSource dicom, Stats stats) throws Exception {
        DicomImage img = series.readImage(k, dicom);
        InstanceHeader h = img.header();
        int rows = h.rows();
        int cols = h.columns();
        float[] out = new float[rows * cols];
        for (String w : img.warnings()) {
            stats.warnings.merge(w, 1, Integer::sum);
        }
        for (OverlayPlane plane : img.overlays()) {
            stats.planes++;
            stats.groups.merge(plane.info().groupHex(), 1, Integer::sum);
            int r0 = plane.info().originRow() - 1;
            int c0 = plane.info().originColumn() - 1;
            int oc = plane.info().columns();
            long clipped = 0;
            for (int r = 0; r < plane.info().rows(); r++) {
                for (int c = 0; c < oc; c++) {
                    if (!plane.bits()[c + oc * r]) {
                        continue;
                    }
                    int row = r0 + r;
                    int col = c0 + c;
                    if (row < 0 || col < 0 || row >= rows || col >= cols) {
                        clipped++;
                        continue;
                    }
                    stats.setPixels++;
                    out[col + cols * row] = 1f;
                }
            }
            if (clipped > 0) {
                stats.clipped += clipped;
                stats.warnings.merge("overlay group " + plane.info().groupHex()
                        + ": partly outside the image (set pixels beyond the image dropped)", 1, Integer::sum);
            }
        }
        return out;
    }

    private static Result finish(ImageVolume mask, Stats stats, String grid) {
        int[] perSlice = new int[mask.nz()];
        long total = 0;
        int slice = mask.nx() * mask.ny();
        float[] d = mask.data();
        for (int m = 0; m < mask.nz(); m++) {
            int n = 0;
            for (int i = m * slice; i < (m + 1) * slice; i++) {
                if (d[i] != 0) {
                    n++;
                }
            }
            perSlice[m] = n;
            total += n;
        }
        List<String> warnings = new ArrayList<>();
        stats.warnings.forEach((w, n) -> warnings.add(w + (n > 1 ? " (" + n + " slices)" : "")));
        if (stats.outsideReference > 0) {
            warnings.add(stats.outsideReference + " set overlay pixels fall outside the reference grid: dropped");
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("grid", grid);
        report.put("dims", mask.dims());
        report.put("overlay_planes_used", stats.planes);
        report.put("groups_used", stats.groups);
        report.put("set_pixels_in_images", stats.setPixels);
        report.put("set_pixels_outside_images_dropped", stats.clipped);
        report.put("set_pixels_outside_reference_dropped", stats.outsideReference);
        report.put("mask_voxels", total);
        report.put("warnings", warnings);
        return new Result(mask, perSlice, report, warnings);
    }
}
