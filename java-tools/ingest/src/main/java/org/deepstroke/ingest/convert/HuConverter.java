package org.deepstroke.ingest.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.ingest.dicom.DicomImage;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.dicom.InstanceHeader;
import org.deepstroke.ingest.dicom.PixelMedDicomSource;
import org.deepstroke.ingest.dicom.TransferSyntaxes;
import org.deepstroke.ingest.rules.IngestRules;

/**
 * One series to a HU volume on its {@link SeriesGeometry} grid: stored values masked to BitsStored (garbage in
 * unused high bits dropped) and sign-extended, PixelPadding set to the fill value, then
 * {@code HU = stored * RescaleSlope + RescaleIntercept} per slice.
 */
public final class HuConverter {

    private HuConverter() {
    }

    public static ConvertedSeries convert(SeriesReader.Series series, DicomSource dicom, IngestRules.Convert rules,
            String toolVersion) throws Exception {
        SeriesGeometry g = series.geometry();
        InstanceHeader first = series.first();
        boolean ct = "CT".equals(first.modality());
        float fill = ct ? (float) rules.fillHu() : 0f;
        long[] padded = {0};
        boolean[] integral = {isWhole(fill)};
        Set<String> rescales = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        float[] data = g.resample(k -> {
            DicomImage img = series.readImage(k, dicom);
            InstanceHeader h = img.header();
            double slope = h.rescaleSlope() == 0 ? 1 : h.rescaleSlope();
            double inter = h.rescaleIntercept();
            rescales.add(slope + "/" + inter);
            if (!isWhole(slope) || !isWhole(inter)) {
                integral[0] = false;
            }
            Integer padValue = h.pixelPaddingValue();
            int padLo = 0;
            int padHi = -1;
            if (padValue != null) {
                int a = PixelMedDicomSource.maskStored(padValue, h.bitsStored(), h.pixelRepresentation());
                int b = h.pixelPaddingRangeLimit() == null ? a
                        : PixelMedDicomSource.maskStored(h.pixelPaddingRangeLimit(), h.bitsStored(),
                                h.pixelRepresentation());
                padLo = Math.min(a, b);
                padHi = Math.max(a, b);
            }
            int[] stored = img.stored();
            float[] hu = new float[stored.length];
            for (int i = 0; i < stored.length; i++) {
                int s = stored[i];
                if (s >= padLo && s <= padHi) {
                    hu[i] = fill;
                    padded[0]++;
                } else {
                    hu[i] = (float) (s * slope + inter);
                }
            }
            return hu;
        }, false, fill);
        if (g.resampled() && integral[0]) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) Math.rint(data[i]);
            }
        }
        NiftiDatatype type = chooseType(data, rules.datatype());
        ImageVolume volume = new ImageVolume(g.nx(), g.ny(), g.nz(), data, g.rasAffine(), 1);
        Map<String, Object> sidecar = sidecar(series, g, type, padded[0], rescales, dicom, toolVersion);
        if (rescales.size() > 1) {
            warnings.add("rescale slope/intercept vary across slices (applied per slice)");
        }
        return new ConvertedSeries(volume, type, g, sidecar, warnings);
    }

    static boolean isWhole(double v) {
        return v == Math.rint(v) && Double.isFinite(v);
    }

    /** int16 when every value is a whole number within int16, float32 otherwise (or as forced by the rules). */
    static NiftiDatatype chooseType(float[] data, String rule) {
        if ("float32".equals(rule)) {
            return NiftiDatatype.FLOAT32;
        }
        boolean fits = true;
        for (float v : data) {
            if (v != Math.rint(v) || v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                fits = false;
                break;
            }
        }
        if ("int16".equals(rule) && !fits) {
            throw new ToolFailure("values do not fit int16 (convert.datatype: int16); use auto or float32");
        }
        return fits ? NiftiDatatype.INT16 : NiftiDatatype.FLOAT32;
    }

    /** The JSON sidecar: geometry, scanner, reconstruction and conversion facts; no identifiers, dates or UIDs. */
    static Map<String, Object> sidecar(SeriesReader.Series series, SeriesGeometry g, NiftiDatatype type, long padded,
            Set<String> rescales, DicomSource dicom, String toolVersion) {
        InstanceHeader h = series.first();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modality", h.modality());
        m.put("manufacturer", h.manufacturer());
        m.put("manufacturer_model", h.manufacturerModel());
        m.put("kvp", Double.isNaN(h.kvp()) ? null : h.kvp());
        m.put("convolution_kernel", h.kernel());
        m.put("slice_thickness_mm", Double.isNaN(h.sliceThickness()) ? null : h.sliceThickness());
        m.put("image_type", h.imageType());
        m.put("series_number", h.seriesNumber());
        m.put("body_part", h.bodyPart());
        m.put("transfer_syntax", TransferSyntaxes.name(h.transferSyntaxUid()));
        m.put("source_slices", g.sliceCount());
        m.put("rows", g.sourceRows());
        m.put("columns", g.sourceColumns());
        m.put("pixel_spacing_mm", h.pixelSpacing());
        m.put("image_orientation_lps", h.orientation());
        m.put("obliquity_deg", round(g.obliquityDeg(), 4));
        m.put("gantry_tilt_header_deg", h.gantryTilt());
        m.put("tilt_measured_deg", round(g.tiltDeg(), 4));
        m.put("tilt_corrected", g.tilted());
        m.put("slice_gap_min_mm", round(g.minGap(), 4));
        m.put("slice_gap_max_mm", round(g.maxGap(), 4));
        m.put("variable_spacing_resampled", g.variableSpacing());
        m.put("slice_spacing_mm", round(g.sliceSpacing(), 6));
        m.put("dims", new int[] {g.nx(), g.ny(), g.nz()});
        m.put("affine_ras", clean(g.rasAffine().rows()));
        m.put("slice_order", "by position along the slice normal (row x column cosines), ascending");
        m.put("datatype", type.name().toLowerCase());
        m.put("units", "HU".equals(unit(h)) ? "HU" : "stored*slope+intercept");
        m.put("rescale_slope_intercept", List.copyOf(rescales));
        m.put("bits_stored", h.bitsStored());
        m.put("bits_allocated", h.bitsAllocated());
        m.put("high_bits_masked", h.bitsStored() < h.bitsAllocated());
        m.put("padding_voxels_filled", padded);
        m.put("interpolation", g.resampled() ? "linear (values rounded to whole units when the source values are whole)"
                : "none (voxels copied)");
        m.put("conversion_software", "deepstroke " + toolVersion);
        m.put("dicom_library", "pixelmed " + dicom.version());
        return m;
    }

    private static String unit(InstanceHeader h) {
        return "CT".equals(h.modality()) ? "HU" : "";
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f + 0.0;
    }

    static double[][] clean(double[][] rows) {
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.round(row[j] * 1e9) / 1e9 + 0.0;
            }
        }
        return rows;
    }
}
