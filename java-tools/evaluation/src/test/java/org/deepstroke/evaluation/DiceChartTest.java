package org.deepstroke.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dice chart shows what the numbers say: bar heights, minimum dots and the bar lines where the axis puts them. */
class DiceChartTest {

    static final int BAR = new Color(70, 130, 180).getRGB();
    static final int DOT = new Color(200, 60, 40).getRGB();
    static final List<DiceChart.Bar> BARS = List.of(new DiceChart.Bar("C_L", 0.75, 0.5),
            new DiceChart.Bar("L_L", Double.NaN, Double.NaN), new DiceChart.Bar("IC_L", 0.9, 0.3));

    @TempDir
    Path dir;

    BufferedImage png;
    CategoryPlot plot;
    Rectangle2D area;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    void render() throws Exception {
        DiceChart.write(BARS, 0.85, 0.6, "Dice per label", dir.resolve("dice.png"));
        png = ImageIO.read(dir.resolve("dice.png").toFile());
        // the same chart drawn again at the same size tells where its data area and axes are
        JFreeChart chart = DiceChart.chart(BARS, 0.85, 0.6, "Dice per label");
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.createBufferedImage(png.getWidth(), png.getHeight(), BufferedImage.TYPE_INT_RGB, info);
        plot = chart.getCategoryPlot();
        area = info.getPlotInfo().getDataArea();
    }

    int x(int label) {
        return (int) plot.getDomainAxis().getCategoryMiddle(label, BARS.size(), area, RectangleEdge.BOTTOM);
    }

    int y(double dice) {
        return (int) plot.getRangeAxis().valueToJava2D(dice, area, RectangleEdge.LEFT);
    }

    @Test
    void eachBarEndsAtItsMeanDice() throws Exception {
        render();
        assertEquals(420, png.getWidth());
        assertEquals(440, png.getHeight());
        assertEquals(BAR, png.getRGB(x(0), y(0.75) + 3));
        assertNotEquals(BAR, png.getRGB(x(0), y(0.75) - 3));
        assertEquals(BAR, png.getRGB(x(2), y(0.9) + 3));
        assertNotEquals(BAR, png.getRGB(x(2), y(0.9) - 3));
        for (int y = y(1); y < y(0); y++) {
            assertNotEquals(BAR, png.getRGB(x(1), y), "no bar for a label without a mean, y " + y);
        }
    }

    @Test
    void theLowestSubjectIsADotOnItsBar() throws Exception {
        render();
        assertEquals(DOT, png.getRGB(x(0), y(0.5)));
        assertEquals(DOT, png.getRGB(x(2), y(0.3)));
        assertEquals(BAR, png.getRGB(x(0), y(0.5) - 8), "the bar around the dot");
    }

    @Test
    void theBarsOfTheTaskAreDashedGreenLinesAtTheirHeight() throws Exception {
        render();
        assertTrue(greenInRow(y(0.85)) > area.getWidth() / 4, "mean bar line at 0.85");
        assertTrue(greenInRow(y(0.6)) > area.getWidth() / 4, "lowest label bar line at 0.6");
        assertEquals(0, greenInRow(y(0.7)), "nothing green between them");
    }

    /** Green pixels in the rows y-1..y+1 of the data area (the line is antialiased over two rows). */
    int greenInRow(int y) {
        int n = 0;
        for (int x = (int) area.getMinX(); x < area.getMaxX(); x++) {
            for (int dy = -1; dy <= 1; dy++) {
                Color c = new Color(png.getRGB(x, y + dy));
                if (c.getGreen() > c.getRed() + 40 && c.getGreen() > c.getBlue() + 40) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
