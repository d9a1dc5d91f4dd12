package org.deepstroke.unet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;
import org.deepstroke.core.qc.ChartPng;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training curves: both files at their size, the curves through their values, gaps where a value is missing. */
class CurvePlotsTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesTheLossAndDiceCurvesAtTheirSize() throws Exception {
        TrainingHistory h = new TrainingHistory(3);
        h.add(new EpochRecord(1, 1.2, 1.3, new double[] {0.9, 0.2, 0.1}, 0.15, 0.2, 10));
        h.add(new EpochRecord(2, 0.8, 0.9, new double[] {0.95, 0.5, 0.4}, 0.45, 0.5, 10));
        CurvePlots.write(h, dir);
        for (String f : List.of("loss_curves.png", "dice_curves.png")) {
            BufferedImage png = ImageIO.read(dir.resolve(f).toFile());
            assertEquals(CurvePlots.W, png.getWidth(), f);
            assertEquals(CurvePlots.H, png.getHeight(), f);
        }
    }

    @Test
    void theCurvesGoThroughTheirValuesWithTheLaterSeriesOnTopAndGapsForMissingValues() throws Exception {
        double[] epochs = {1, 2, 3, 4, 5};
        Color red = new Color(214, 39, 40);
        List<CurvePlots.Series> series = List.of(
                new CurvePlots.Series("class", new double[] {0.2, 0.4, 0.6, 0.6, 0.6}, red, 3f),
                new CurvePlots.Series("mean Dice", new double[] {0.2, 0.4, Double.NaN, 0.8, 1}, Color.BLACK, 3f));
        ChartPng.write(CurvePlots.chart("Dice", "Dice", epochs, series, true), CurvePlots.W, CurvePlots.H,
                dir.resolve("c.png"));
        BufferedImage png = ImageIO.read(dir.resolve("c.png").toFile());
        JFreeChart chart = CurvePlots.chart("Dice", "Dice", epochs, series, true);
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.createBufferedImage(CurvePlots.W, CurvePlots.H, BufferedImage.TYPE_INT_RGB, info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();
        assertEquals(0, plot.getRangeAxis().getLowerBound());
        assertEquals(1, plot.getRangeAxis().getUpperBound());
        BiFunction<Double, Double, Integer> at = (x, y) -> png.getRGB(
                (int) plot.getDomainAxis().valueToJava2D(x, area, RectangleEdge.BOTTOM),
                (int) plot.getRangeAxis().valueToJava2D(y, area, RectangleEdge.LEFT));
        // the two curves share epochs 1..2: the mean (drawn later) covers the class curve there
        assertEquals(Color.BLACK.getRGB(), at.apply(1.5, 0.3));
        assertEquals(red.getRGB(), at.apply(2.5, 0.5));
        assertEquals(Color.BLACK.getRGB(), at.apply(4.5, 0.9));
        // the mean has no value at epoch 3: no line from (2, 0.4) to (3, ?) nor from (3, ?) to (4, 0.8)
        for (double x = 2.2; x < 3.9; x += 0.1) {
            for (double y = 0.3; y <= 0.9; y += 0.01) {
                assertTrue(at.apply(x, y) != Color.BLACK.getRGB(), "black at " + x + ", " + y);
            }
        }
    }
}
