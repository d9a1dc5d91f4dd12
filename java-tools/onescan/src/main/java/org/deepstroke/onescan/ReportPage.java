package org.deepstroke.onescan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.aspects.AspectsScorer;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.aspects.RegionDescriptors;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.html.Html;
import org.deepstroke.core.html.HtmlTemplate;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The one-scan report: one self-contained HTML page (report.mustache; the BG/SG picture embedded as a data URI, no
 * external reference of any kind) with the score, the affected regions, the per-region table, the QC flags, the
 * series choice, versions and timings. Pseudonymous keys only. A small inline script records on {@code <body>}
 * whether every image decoded ({@code data-images="loaded/total"}), which the headless-browser test reads.
 */
public final class ReportPage {

    public static final String DISCLAIMER = "Research use only, not a medical device. Not for diagnosis or "
            + "treatment decisions.";

    private static final HtmlTemplate TEMPLATE = HtmlTemplate.of(ReportPage.class, "report.mustache");

    /** Everything the page shows; {@code lesionMl}: the U-Net lesion map's volume, null without a lesion head. */
    public record Content(String subject, String method, AspectsScorer.Result result,
            Map<AspectsRegion, RegionDescriptors> regions, List<QcFlags.Flag> flags, List<String> seriesReasons,
            Map<String, Double> timings, Map<String, String> versions, Path picture, Double lesionMl) {
    }

    /** What report.mustache shows: text already formatted; {@code lesionMl} null hides the lesion line. */
    record Model(String disclaimer, String subject, int score, String side, boolean sideDetected, String deficitLeft,
            String deficitRight, String affected, String method, String lesionMl, boolean qcOk, String picture,
            List<Region> regions, List<Map<String, Object>> flags, List<String> series, List<Entry> timings,
            List<Entry> versions) {
    }

    record Region(String name, String relativeHu, String cutpoint, boolean affected, String volumeLeft,
            String volumeRight, String meanLeft, String meanRight) {
    }

    record Entry(String name, String value) {
    }

    private ReportPage() {
    }

    public static void write(Path file, Content c) throws IOException {
        AtomicFiles.writeString(file, html(c));
    }

    static String html(Content c) throws IOException {
        AspectsScorer.Result r = c.result();
        List<Region> regions = r.decisions().stream().map(d -> {
            RegionDescriptors left = c.regions().get(AspectsRegion.of(d.structure(), Side.L));
            RegionDescriptors right = c.regions().get(AspectsRegion.of(d.structure(), Side.R));
            return new Region(d.structure().name() + " " + d.structure().description(), f(d.relativeHu(), 4),
                    f(d.cutpoint(), 3), d.affected(), f(left.volumeMl(), 2), f(right.volumeMl(), 2),
                    f(left.mean(), 1), f(right.mean(), 1));
        }).toList();
        String affected = r.affected().isEmpty() ? "none" : String.join(", ", r.affected().stream()
                .map(s -> s.name() + " (" + s.description() + ")").toList());
        return TEMPLATE.render(new Model(DISCLAIMER, c.subject(), r.score(), r.side() == Side.L ? "left" : "right",
                r.sideDetected(), String.format(Locale.ROOT, "%.4f", r.deficitLeft()),
                String.format(Locale.ROOT, "%.4f", r.deficitRight()), affected, c.method(),
                c.lesionMl() == null ? null : f(c.lesionMl(), 2), QcFlags.allOk(c.flags()),
                Html.pngDataUri(c.picture()), regions,
                c.flags().stream().map(QcFlags.Flag::json).toList(), c.seriesReasons(),
                c.timings().entrySet().stream().map(e -> new Entry(e.getKey(), f(e.getValue(), 2))).toList(),
                c.versions().entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList()));
    }

    private static String f(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "NA";
    }
}
