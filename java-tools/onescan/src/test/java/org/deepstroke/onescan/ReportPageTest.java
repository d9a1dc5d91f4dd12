package org.deepstroke.onescan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deepstroke.aspects.AspectsScorer;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.aspects.RegionDescriptors;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aspects-scan's page from a made-up result (no scan, no ANTs): text escaped, the picture's exact bytes inside,
 * nothing fetched, the same bytes twice, and headless Chromium decodes the picture and shows the score.
 */
class ReportPageTest {

    @TempDir
    Path dir;

    @Test
    void pageShowsTheResultEscapedAndSelfContained() throws Exception {
        Path png = dir.resolve("levels.png");
        ImageIO.write(new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Map<AspectsRegion, RegionDescriptors> regions = new LinkedHashMap<>();
        for (AspectsRegion r : AspectsRegion.all()) {
            regions.put(r, new RegionDescriptors(r, 100, r.side() == Side.L ? 2.5 : Double.NaN, 90, 31.25, 31, 2,
                    0, 28, 29, 33, 34, 0.5, 0.5, 0.5));
        }
        List<AspectsScorer.StructureDecision> decisions = new ArrayList<>();
        for (Structure s : Structure.values()) {
            decisions.add(new AspectsScorer.StructureDecision(s, 0.9, 0.95, s == Structure.M2 || s == Structure.I));
        }
        AspectsScorer.Result result = new AspectsScorer.Result(Side.L, true, 0.2, 0.01, 8, decisions);
        List<QcFlags.Flag> flags = List.of(new QcFlags.Flag("registration_overlap", true, 0.95, "Dice >= 0.93"),
                new QcFlags.Flag("coverage_SG", false, List.of("M4L"), "every SG region present on both sides"));
        Map<String, Double> timings = new LinkedHashMap<>(Map.of("total", 41.256));
        ReportPage.Content content = new ReportPage.Content("sub-<x&y>", "label transfer \"quick\"", result,
                regions, flags, List.of("chose ser-1 <NCCT>"), timings, Map.of("deepstroke", "0.1.0"), png, null);

        Path html = dir.resolve("sub_report.html");
        ReportPage.write(html, content);
        String page = Files.readString(html);
        assertTrue(page.contains("<title>ASPECTS 8 - sub-&lt;x&amp;y&gt;</title>"), page);
        assertTrue(page.contains("<span class=\"score\" id=\"score\">ASPECTS 8</span> / 10"), page);
        assertTrue(page.contains("Affected regions: <b>I (insular ribbon), M2 (MCA cortex lateral to the insular "
                + "ribbon)</b><br>Region labels by: label transfer &quot;quick&quot;<br>QC: <b>CHECK: see the flags "
                + "below</b>"), page);
        assertTrue(page.contains("<tr class=\"affected\"><td>I insular ribbon</td><td>0.9000</td><td>0.950</td>"
                + "<td>yes</td><td>2.50</td><td>NA</td><td>31.3</td><td>31.3</td></tr>"), page);
        assertTrue(page.contains("<tr class=\"check\"><td>coverage_SG</td><td>check</td><td>[M4L]</td>"
                + "<td>every SG region present on both sides</td></tr>"), page);
        assertTrue(page.contains("<li>chose ser-1 &lt;NCCT&gt;</li>") && page.contains("<td>41.26</td>"), page);
        assertEquals(2, page.split(ReportPage.DISCLAIMER, -1).length - 1, "disclaimer above and below");
        assertTrue(page.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(
                Files.readAllBytes(png)) + "\""));
        assertFalse(page.replaceAll("base64,[A-Za-z0-9+/=]+", "").contains("http"), "self-contained: nothing fetched");
        assertEquals(page, ReportPage.html(content), "deterministic");
        assertFalse(page.contains("Lesion map"), "no lesion head, no lesion line");
        AspectsScanTest.browserShowsScore(html, 8, dir);
    }

    @Test
    void lesionHeadAddsOneLineSayingResearchOutput() throws Exception {
        Path png = dir.resolve("levels.png");
        ImageIO.write(new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Map<AspectsRegion, RegionDescriptors> regions = new LinkedHashMap<>();
        for (AspectsRegion r : AspectsRegion.all()) {
            regions.put(r, new RegionDescriptors(r, 100, 2.5, 90, 31.25, 31, 2, 0, 28, 29, 33, 34, 0.5, 0.5, 0.5));
        }
        List<AspectsScorer.StructureDecision> decisions = new ArrayList<>();
        for (Structure s : Structure.values()) {
            decisions.add(new AspectsScorer.StructureDecision(s, 0.9, 0.95, false));
        }
        String page = ReportPage.html(new ReportPage.Content("sub-1", "U-Net", new AspectsScorer.Result(Side.L,
                true, 0.2, 0.01, 10, decisions), regions, List.of(), List.of(), Map.of(), Map.of(), png, 12.5));
        assertTrue(page.contains("<br>Lesion map (U-Net lesion head): 12.50 ml of early ischaemic change, a research "
                + "output, not used in the score<br>QC:"), page);
    }
}
