package org.deepstroke.aspects.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.IntPredicate;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report panels show what the numbers say: points, bias and limits of agreement, matrix cells and bars where the
 * chart's own axes put them, each panel inside its own square.
 */
class ChartsTest {

    // truth 5 -> method 6 three times, 8 -> 8 once: differences 1, 1, 1, 0; bias 0.75, sd 0.5
    static final int[] TRUTH = {5, 5, 5, 8};
    static final int[] METHOD = {6, 6, 6, 8};

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Where a chart drawn into panel {@code panel} puts its data area. */
    static Rectangle2D dataArea(JFreeChart chart, int panel) {
        ChartRenderingInfo info = new ChartRenderingInfo();
        Graphics2D g = Charts.canvas(panel + 1).createGraphics();
        chart.draw(g, new Rectangle2D.Double(panel * Charts.PANEL, 0, Charts.PANEL, Charts.PANEL), info);
        g.dispose();
        return info.getPlotInfo().getDataArea();
    }

    static int count(BufferedImage img, int x0, int x1, int y0, int y1, IntPredicate rgb) {
        int n = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                n += rgb.test(img.getRGB(x, y)) ? 1 : 0;
            }
        }
        return n;
    }

    static boolean near(int rgb, Color c, int tolerance) {
        Color p = new Color(rgb);
        return Math.abs(p.getRed() - c.getRed()) <= tolerance && Math.abs(p.getGreen() - c.getGreen()) <= tolerance
                && Math.abs(p.getBlue() - c.getBlue()) <= tolerance;
    }

    static boolean red(int rgb) {
        Color p = new Color(rgb);
        return p.getRed() > 150 && p.getGreen() < 120 && p.getBlue() < 120;
    }

    static boolean dark(int rgb) {
        Color p = new Color(rgb);
        return Math.max(p.getRed(), Math.max(p.getGreen(), p.getBlue())) < 110;
    }

    @Test
    void blandAltmanShowsThePointsTheBiasAndTheLimitsInItsPanel() {
        BufferedImage img = Charts.canvas(2);
        assertEquals(2 * Charts.PANEL, img.getWidth());
        assertEquals(Charts.PANEL, img.getHeight());
        Charts.blandAltman(img, 1, "Bland-Altman", TRUTH, METHOD);
        assertEquals(0, count(img, 0, Charts.PANEL - 1, 0, Charts.PANEL - 1, rgb -> rgb != Color.WHITE.getRGB()),
                "panel 0 untouched");
        XYPlot plot = Charts.blandAltman("Bland-Altman", TRUTH, METHOD).getXYPlot();
        Rectangle2D area = dataArea(plot.getChart(), 1);
        int x = (int) plot.getDomainAxis().valueToJava2D(8, area, RectangleEdge.BOTTOM);
        int y = (int) plot.getRangeAxis().valueToJava2D(0, area, RectangleEdge.LEFT);
        assertTrue(count(img, x - 8, x, y - 2, y + 2, ChartsTest::red) > 5, "the (8, 0) point");
        // three identical (5.5, 1) points side by side
        int x3 = (int) plot.getDomainAxis().valueToJava2D(5.5, area, RectangleEdge.BOTTOM);
        int y3 = (int) plot.getRangeAxis().valueToJava2D(1, area, RectangleEdge.LEFT);
        assertTrue(count(img, x3 - 12, x3 + 8, y3, y3, ChartsTest::red) >= 14, "three points in a row");
        // dashed lines across the plot: bias 0.75 in blue, limits 0.75 +- 1.96 * 0.5 in grey
        assertTrue(lineAt(img, area, plot.getRangeAxis().valueToJava2D(0.75, area, RectangleEdge.LEFT),
                new Color(52, 101, 164)), "bias line");
        assertTrue(lineAt(img, area, plot.getRangeAxis().valueToJava2D(1.73, area, RectangleEdge.LEFT),
                Color.GRAY), "upper limit");
        assertTrue(lineAt(img, area, plot.getRangeAxis().valueToJava2D(-0.23, area, RectangleEdge.LEFT),
                Color.GRAY), "lower limit");
        assertFalse(lineAt(img, area, plot.getRangeAxis().valueToJava2D(-1, area, RectangleEdge.LEFT),
                Color.GRAY), "no line elsewhere");
    }

    /** A dashed line of colour c at y: a third of the data area's width or more within 2 rows of it. */
    static boolean lineAt(BufferedImage img, Rectangle2D area, double y, Color c) {
        int n = 0;
        for (int x = (int) area.getMinX(); x < area.getMaxX(); x++) {
            n += count(img, x, x, (int) y - 1, (int) y + 1, rgb -> near(rgb, c, 60)) > 0 ? 1 : 0;
        }
        return n > area.getWidth() / 3;
    }

    @Test
    void confusionCellsAreColouredByAgreementWithTheirCounts() {
        int[] truth = {3, 3, 4, 7};
        int[] method = {4, 4, 4, 2};
        BufferedImage img = Charts.canvas(1);
        Charts.confusion(img, 0, "confusion", truth, method);
        XYPlot plot = Charts.confusion("confusion", truth, method).getXYPlot();
        Rectangle2D area = dataArea(plot.getChart(), 0);
        record Cell(int truth, int method) {
            int x(XYPlot p, Rectangle2D a, double dx) {
                return (int) p.getDomainAxis().valueToJava2D(method + dx, a, RectangleEdge.BOTTOM);
            }

            int y(XYPlot p, Rectangle2D a, double dy) {
                return (int) p.getRangeAxis().valueToJava2D(truth + dy, a, RectangleEdge.LEFT);
            }
        }
        Cell twoOffByOne = new Cell(3, 4);
        Cell exact = new Cell(4, 4);
        Cell offByFive = new Cell(7, 2);
        Cell empty = new Cell(0, 0);
        assertTrue(twoOffByOne.y(plot, area, 0) < offByFive.y(plot, area, 0), "truth 0 at the top");
        // a corner of the cell (the count is written in its middle): the full colour for the largest count
        assertEquals(new Color(193, 125, 17).getRGB(), img.getRGB(twoOffByOne.x(plot, area, 0.35),
                twoOffByOne.y(plot, area, 0.35)));
        assertEquals(new Color(149, 194, 106).getRGB(), img.getRGB(exact.x(plot, area, 0.35),
                exact.y(plot, area, 0.35)), "green at 0.6 for 1 of 2");
        assertEquals(new Color(224, 102, 102).getRGB(), img.getRGB(offByFive.x(plot, area, 0.35),
                offByFive.y(plot, area, 0.35)), "red at 0.6 for 1 of 2");
        assertEquals(new Color(245, 245, 245).getRGB(), img.getRGB(empty.x(plot, area, 0.35),
                empty.y(plot, area, 0.35)));
        // the counts: dark text in the middle of the counted cells only
        for (Cell c : List.of(twoOffByOne, exact, offByFive)) {
            assertTrue(count(img, c.x(plot, area, -0.3), c.x(plot, area, 0.3), c.y(plot, area, -0.3),
                    c.y(plot, area, 0.3), ChartsTest::dark) > 3, c.toString());
        }
        assertEquals(0, count(img, empty.x(plot, area, -0.3), empty.x(plot, area, 0.3), empty.y(plot, area, -0.3),
                empty.y(plot, area, 0.3), ChartsTest::dark));
    }

    @Test
    void groupedBarsEndAtTheirRatesWithTheDashedBarOfTheirGroup() {
        List<String> groups = List.of("sensitivity", "specificity");
        List<String> series = List.of("m1", "m2");
        double[][] values = {{0.5, 0.9}, {0.25, Double.NaN}};
        double[] bars = {0.8, Double.NaN};
        BufferedImage img = Charts.canvas(1);
        Charts.bars(img, 0, "bars", groups, series, values, bars);
        CategoryPlot plot = Charts.bars("bars", groups, series, values, bars).getCategoryPlot();
        Rectangle2D area = dataArea(plot.getChart(), 0);
        Color[] colours = {new Color(52, 101, 164), new Color(204, 0, 0)};
        for (int g = 0; g < 2; g++) {
            for (int s = 0; s < 2; s++) {
                int x = (int) plot.getDomainAxis().getCategorySeriesMiddle(g, 2, s, 2, 0.2, area,
                        RectangleEdge.BOTTOM);
                int rgb = colours[s].getRGB();
                if (Double.isNaN(values[s][g])) {
                    assertEquals(0, count(img, x, x, (int) area.getMinY(), (int) area.getMaxY() - 1,
                            p -> p == rgb), "no bar for NaN");
                    continue;
                }
                int y = (int) plot.getRangeAxis().valueToJava2D(values[s][g], area, RectangleEdge.LEFT);
                assertEquals(rgb, img.getRGB(x, y + 3), groups.get(g) + " " + series.get(s));
                assertNotEquals(rgb, img.getRGB(x, y - 3), groups.get(g) + " " + series.get(s));
            }
        }
        int y = (int) plot.getRangeAxis().valueToJava2D(0.8, area, RectangleEdge.LEFT);
        double width = plot.getDomainAxis().getCategoryEnd(0, 2, area, RectangleEdge.BOTTOM)
                - plot.getDomainAxis().getCategoryStart(0, 2, area, RectangleEdge.BOTTOM);
        int[] dashes = new int[2];
        for (int g = 0; g < 2; g++) {
            int from = (int) plot.getDomainAxis().getCategoryStart(g, 2, area, RectangleEdge.BOTTOM);
            int to = (int) plot.getDomainAxis().getCategoryEnd(g, 2, area, RectangleEdge.BOTTOM);
            for (int x = from; x < to; x++) {
                dashes[g] += count(img, x, x, y - 1, y + 1, ChartsTest::dark) > 0 ? 1 : 0;
            }
        }
        assertTrue(dashes[0] > width / 3, "the dashed bar line of the first group: " + dashes[0]);
        assertEquals(0, dashes[1], "none for the second group (NaN)");
    }
}
