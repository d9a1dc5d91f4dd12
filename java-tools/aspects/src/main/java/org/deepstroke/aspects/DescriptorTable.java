package org.deepstroke.aspects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.TsvTable;
import org.deepstroke.core.aspects.AspectsRegion;

/**
 * {@code <subject>_descriptors.tsv}: the 20 hemisphere-regions' descriptors of one subject, one row each, with the
 * window they were measured in. aspects-calibrate and aspects-fit read these back, so the images are read once.
 */
public final class DescriptorTable {

    static final List<String> COLUMNS = List.of("subject", "region", "hemisphere", "label_id", "voxels", "volume_ml",
            "window_low", "window_high", "window_voxels", "mean_hu", "median_hu", "sd_hu", "skewness", "p10_hu",
            "p25_hu", "p75_hu", "p90_hu", "glcm_contrast", "glcm_homogeneity", "glcm_entropy");

    /** One subject's descriptors as read back. */
    public record Subject(String subject, HuInclusionRange window, Map<AspectsRegion, RegionDescriptors> regions) {
    }

    private DescriptorTable() {
    }

    public static void write(Path file, String subject, HuInclusionRange window, Map<AspectsRegion, RegionDescriptors> m)
            throws IOException {
        StringBuilder b = new StringBuilder(String.join("\t", COLUMNS)).append('\n');
        for (AspectsRegion r : AspectsRegion.values()) {
            RegionDescriptors d = m.get(r);
            b.append(String.join("\t", subject, r.code(), r.side().name(), Integer.toString(r.id()),
                    Long.toString(d.voxels()), f(d.volumeMl()), f(window.low()), f(window.high()),
                    Long.toString(d.windowVoxels()), f(d.mean()), f(d.median()), f(d.sd()), f(d.skewness()), f(d.p10()),
                    f(d.p25()), f(d.p75()), f(d.p90()), f(d.glcmContrast()), f(d.glcmHomogeneity()),
                    f(d.glcmEntropy()))).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    static String f(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6g", v);
    }

    public static Subject read(Path file) {
        TsvTable.Table table = TsvTable.read(file, "descriptors");
        if (!table.header().equals(COLUMNS)) {
            throw new ToolFailure(file, "not a descriptors table (header must be: " + String.join(" ", COLUMNS) + ")");
        }
        Map<AspectsRegion, RegionDescriptors> m = new EnumMap<>(AspectsRegion.class);
        String subject = null;
        HuInclusionRange window = null;
        for (TsvTable.Row row : table.rows()) {
            String[] c = row.cells().toArray(String[]::new);
            try {
                subject = c[0];
                AspectsRegion r = AspectsRegion.ofId(Integer.parseInt(c[3]));
                window = new HuInclusionRange(d(c[6]), d(c[7]));
                m.put(r, new RegionDescriptors(r, Long.parseLong(c[4]), d(c[5]), Long.parseLong(c[8]), d(c[9]),
                        d(c[10]), d(c[11]), d(c[12]), d(c[13]), d(c[14]), d(c[15]), d(c[16]), d(c[17]), d(c[18]),
                        d(c[19])));
            } catch (RuntimeException e) {
                throw table.failure(row, e.getMessage());
            }
        }
        if (m.size() != 20) {
            throw new ToolFailure(file, "has " + m.size() + " regions, expected all 20");
        }
        return new Subject(subject, window, m);
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    /** Every {@code *_descriptors.tsv} under the given files or folders (walked), by subject, sorted. */
    public static Map<String, Subject> readAll(List<Path> inputs) {
        List<Path> files = ScoreFiles.find(inputs, "_descriptors.tsv");
        Map<String, Subject> out = new LinkedHashMap<>();
        for (Path f : files) {
            Subject s = read(f);
            if (out.put(s.subject(), s) != null) {
                throw new ToolFailure(f, "subject " + s.subject() + " appears twice among the inputs");
            }
        }
        return out;
    }
}
