package org.deepstroke.ingest.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.io.AtomicFiles;

/** manifest.tsv: one row per series, pseudonymous keys only; series/&lt;series&gt;.files beside it. */
public final class Manifest {

    public static final List<String> COLUMNS = List.of("subject", "study", "series", "decision", "reasons", "notes",
            "preferred", "overlay_target", "file_sets", "series_number", "modality", "sop_class", "image_type",
            "instances", "slices", "dims", "matrix", "pixel_spacing_mm", "slice_spacing_mm", "spacing_uniform",
            "coverage_mm", "thickness_mm", "kernel", "obliquity_deg", "tilt_deg", "gantry_tilt_header_deg",
            "has_overlay", "overlay_instances", "manufacturer", "model", "transfer_syntax", "files");

    private Manifest() {
    }

    public static String format(List<SeriesRules.Decision> decisions) {
        StringBuilder sb = new StringBuilder(String.join("\t", COLUMNS)).append('\n');
        for (SeriesRules.Decision d : decisions) {
            for (int i = 0; i < COLUMNS.size(); i++) {
                String c = COLUMNS.get(i);
                String v = switch (c) {
                    case "subject" -> d.subject();
                    case "study" -> d.study();
                    case "series" -> d.series();
                    case "decision" -> d.decision();
                    case "reasons" -> String.join(";", d.reasons());
                    case "notes" -> String.join(";", d.notes());
                    case "files" -> fileName(d);
                    default -> d.columns().getOrDefault(c, "");
                };
                if (i > 0) {
                    sb.append('\t');
                }
                sb.append(SeriesRules.sanitize(v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String fileName(SeriesRules.Decision d) {
        return "series/" + d.series() + ".files";
    }

    /** Writes manifest.tsv and every series file list into {@code dir} (atomically, file by file). */
    public static void write(Path dir, List<SeriesRules.Decision> decisions) throws IOException {
        for (SeriesRules.Decision d : decisions) {
            AtomicFiles.writeString(dir.resolve(fileName(d)), SeriesFiles.format(d.files()));
        }
        AtomicFiles.writeString(dir.resolve("manifest.tsv"), format(decisions));
    }
}
