package org.deepstroke.onescan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.aspects.AspectsScorer;
import org.deepstroke.aspects.RegionDescriptors;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The one-scan report: one self-contained HTML page (the BG/SG picture embedded as a data URI, no external
 * reference of any kind) with the score, the affected regions, the per-region table, the QC flags, the series
 * choice, versions and timings. Pseudonymous keys only. A small inline script records on {@code <body>} whether
 * every image decoded ({@code data-images="loaded/total"}), which the headless-browser test reads.
 */
public final class ReportPage {

    public static final String DISCLAIMER = "Research use only, not a medical device. Not for diagnosis or "
            + "treatment decisions.";

    /** Everything the page shows. */
    public record Content(String subject, String method, AspectsScorer.Result result,
            Map<AspectsRegion, RegionDescriptors> regions, List<QcFlags.Flag> flags, List<String> seriesReasons,
            Map<String, Double> timings, Map<String, String> versions, Path picture) {
    }

    private ReportPage() {
    }

    public static void write(Path file, Content c) throws IOException {
        AtomicFiles.writeString(file, html(c));
    }

    static String html(Content c) throws IOException {
        String png = Base64.getEncoder().encodeToString(Files.readAllBytes(c.picture()));
        AspectsScorer.Result r = c.result();
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ASPECTS ")
                .append(r.score()).append(" - ").append(esc(c.subject())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;max-width:1100px;color:#111}\n")
                .append(".ruo{background:#fff3cd;border:1px solid #e0b000;padding:.5em 1em;font-weight:bold}\n")
                .append(".score{font-size:3em;font-weight:bold}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:2px 8px;"
                        + "text-align:right}th{background:#eee}td:first-child{text-align:left}\n")
                .append(".affected{background:#f8d0d0}.check{background:#f8d0d0}.ok{background:#d6f5d6}\n")
                .append("img{max-width:100%}\n</style></head>\n<body data-images=\"pending\">\n");
        b.append("<p class=\"ruo\" id=\"ruo\">").append(esc(DISCLAIMER)).append("</p>\n");
        b.append("<h1>ASPECTS report: ").append(esc(c.subject())).append("</h1>\n");
        b.append("<p><span class=\"score\" id=\"score\">ASPECTS ").append(r.score()).append("</span> / 10</p>\n");
        b.append("<p>Scored side: <b>").append(side(r.side())).append("</b> (").append(r.sideDetected()
                ? "detected: the hemisphere with the larger HU deficit" : "given").append(String.format(Locale.ROOT,
                "; deficit left %.4f, right %.4f", r.deficitLeft(), r.deficitRight())).append(")<br>Affected regions: <b>")
                .append(r.affected().isEmpty() ? "none" : esc(String.join(", ", r.affected().stream()
                        .map(s -> s.name() + " (" + s.description() + ")").toList()))).append("</b><br>")
                .append("Region labels by: ").append(esc(c.method())).append("<br>QC: <b>")
                .append(QcFlags.allOk(c.flags()) ? "all checks passed" : "CHECK: see the flags below")
                .append("</b></p>\n");
        b.append("<h2>Basal ganglia (BG) and supraganglionic (SG) levels</h2>\n<p><img id=\"levels\" alt=\"BG and SG "
                + "levels with the regions coloured: red affected, green normal (scored side), blue reference side\" "
                + "src=\"data:image/png;base64,").append(png).append("\"></p>\n");
        b.append("<h2>Regions</h2>\n<table id=\"regions\"><tr><th>region</th><th>relative HU</th><th>cut-point</th>"
                + "<th>affected</th><th>volume L (ml)</th><th>volume R (ml)</th><th>mean HU L</th><th>mean HU R</th>"
                + "</tr>\n");
        for (AspectsScorer.StructureDecision d : r.decisions()) {
            Structure s = d.structure();
            RegionDescriptors left = c.regions().get(AspectsRegion.of(s, Side.L));
            RegionDescriptors right = c.regions().get(AspectsRegion.of(s, Side.R));
            b.append("<tr").append(d.affected() ? " class=\"affected\"" : "").append("><td>").append(s.name())
                    .append(" ").append(esc(s.description())).append("</td><td>").append(f(d.relativeHu(), 4))
                    .append("</td><td>").append(f(d.cutpoint(), 3)).append("</td><td>")
                    .append(d.affected() ? "yes" : "no").append("</td><td>").append(f(left.volumeMl(), 2))
                    .append("</td><td>").append(f(right.volumeMl(), 2)).append("</td><td>").append(f(left.mean(), 1))
                    .append("</td><td>").append(f(right.mean(), 1)).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Quality checks</h2>\n<table id=\"flags\"><tr><th>check</th><th>status</th><th>value"
                + "</th><th>rule</th></tr>\n");
        for (QcFlags.Flag fl : c.flags()) {
            b.append("<tr class=\"").append(fl.ok() ? "ok" : "check").append("\"><td>").append(esc(fl.code()))
                    .append("</td><td>").append(fl.ok() ? "ok" : "check").append("</td><td>")
                    .append(esc(String.valueOf(fl.value()))).append("</td><td>").append(esc(fl.rule()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Series</h2>\n<ul>\n");
        for (String line : c.seriesReasons()) {
            b.append("<li>").append(esc(line)).append("</li>\n");
        }
        b.append("</ul>\n<h2>Timings (s)</h2>\n<table id=\"timings\">\n");
        c.timings().forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td>").append(f(v, 2))
                .append("</td></tr>\n"));
        b.append("</table>\n<h2>Versions</h2>\n<table id=\"versions\">\n");
        c.versions().forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v))
                .append("</td></tr>\n"));
        b.append("</table>\n<p class=\"ruo\">").append(esc(DISCLAIMER)).append("</p>\n");
        b.append("<script>window.addEventListener('load',function(){var im=document.images,n=0;"
                + "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0){n++;}}"
                + "document.body.setAttribute('data-images',n+'/'+im.length);});</script>\n");
        b.append("</body></html>\n");
        return b.toString();
    }

    private static String side(Side s) {
        return s == Side.L ? "left" : "right";
    }

    private static String f(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "NA";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
