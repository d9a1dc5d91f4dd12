package org.deepstroke.core.qc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart is a result file like any other: the same data must give the same bytes (Nextflow's -resume and
 * reproducibility checks compare them), whatever the run and whatever the machine's locale, and it must render with
 * no display.
 */
class ChartPngTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Decimal tick labels (auto and fixed axes), a legend and a labelled dashed line: everything a locale touches. */
    static JFreeChart chart() {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(0.25, "first", "a");
        data.addValue(0.75, "first", "b");
        data.addValue(1.5, "second", "a");
        JFreeChart chart = ChartPng.style(ChartFactory.createBarChart("title", "group", "value", data,
                PlotOrientation.VERTICAL, true, false, false));
        chart.getCategoryPlot().addRangeMarker(ChartPng.dashedLine(0.55, Color.GREEN, "goal 0.55",
                RectangleAnchor.TOP_LEFT));
        return chart;
    }

    @Test
    void theSameChartGivesTheSameBytesInEveryRunAndLocale() throws Exception {
        ChartPng.write(chart(), 300, 200, dir.resolve("first.png"));
        ChartPng.write(chart(), 300, 200, dir.resolve("second.png"));
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // decimal comma: 0,25 if anything used the default locale
            ChartPng.write(chart(), 300, 200, dir.resolve("german.png"));
        } finally {
            Locale.setDefault(before);
        }
        byte[] first = Files.readAllBytes(dir.resolve("first.png"));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("second.png")));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("german.png")));
    }

    @Test
    void thePngHasTheAskedSizeOnWhite() throws Exception {
        ChartPng.write(chart(), 300, 200, dir.resolve("c.png"));
        BufferedImage png = ImageIO.read(dir.resolve("c.png").toFile());
        assertEquals(300, png.getWidth());
        assertEquals(200, png.getHeight());
        assertFalse(png.getColorModel().hasAlpha(), "RGB, no transparency to show as black or checkered");
        assertEquals(Color.WHITE.getRGB(), png.getRGB(0, 0));
        assertEquals(Color.WHITE.getRGB(), png.getRGB(299, 199));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
