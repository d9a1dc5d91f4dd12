package org.deepstroke.aspects.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.qc.ChartPng;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.LevelRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The few plots the ASPECTS reports need, as JFreeChart charts in the look of {@link ChartPng}, drawn into square
 * panels of one picture: Bland-Altman of scores, a confusion matrix of scores, grouped bars of rates.
 */
public final class Charts {

    public static final int PANEL = 420;
    private static final Color[] SERIES = {new Color(52, 101, 164), new Color(204, 0, 0), new Color(78, 154, 6),
        new Color(117, 80, 123), new Color(193, 125, 17)};

    private Charts() {
    }

    /** A blank white canvas of {@code panels} panels in a row. */
    public static BufferedImage canvas(int panels) {
        BufferedImage img = new BufferedImage(PANEL * panels, PANEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    private static void draw(BufferedImage img, int panel, JFreeChart chart) {
        Graphics2D g = img.createGraphics();
        try {
            chart.draw(g, new Rectangle2D.Double(panel * PANEL, 0, PANEL, PANEL));
        } finally {
            g.dispose();
        }
    }

    /** Bland-Altman: mean of (truth, method) against method - truth, with the bias and 95 % limits of agreement. */
    public static void blandAltman(BufferedImage img, int panel, String title, int[] truth, int[] method) {
        draw(img, panel, blandAltman(title, truth, method));
    }

    static JFreeChart blandAltman(String title, int[] truth, int[] method) {
        int n = truth.length;
        double[] diff = new double[n];
        double bias = 0;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            diff[i] = method[i] - truth[i];
            bias += diff[i] / n;
            maxAbs = Math.max(maxAbs, Math.abs(diff[i]));
        }
        double var = 0;
        for (double d : diff) {
            var += (d - bias) * (d - bias) / Math.max(1, n - 1);
        }
        double sd = Math.sqrt(var);
        double yMax = Math.max(3, Math.ceil(Math.max(Math.abs(bias) + 2 * sd, maxAbs)) + 0.5);
        // repeated points are shifted a little (right, then up) so their count stays visible
        XYSeries points = new XYSeries("subjects", false);
        int[][] seen = new int[21][41];
        for (int i = 0; i < n; i++) {
            double mean = (truth[i] + method[i]) / 2.0;
            int k = seen[(int) Math.round(mean * 2)][(int) Math.max(0, Math.min(40, diff[i] + 20))]++;
            points.add(mean + 0.12 * (k % 4) - 0.18, diff[i] + yMax / 40 * (k / 4));
        }
        JFreeChart chart = ChartPng.style(ChartFactory.createScatterPlot(title, "mean of truth and method (ASPECTS)",
                "method - truth", new XYSeriesCollection(points), PlotOrientation.VERTICAL, false, false, false));
        XYPlot plot = chart.getXYPlot();
        plot.getRenderer().setSeriesPaint(0, new Color(204, 0, 0, 170));
        plot.getRenderer().setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        ChartPng.fixedAxis(plot.getDomainAxis(), -0.5, 10.5, 2, "0");
        ChartPng.fixedAxis(plot.getRangeAxis(), -yMax, yMax, yMax > 6 ? 2 : 1, "0");
        plot.addRangeMarker(ChartPng.dashedLine(bias, SERIES[0], String.format(Locale.ROOT, "bias %.2f", bias),
                RectangleAnchor.TOP_LEFT));
        plot.addRangeMarker(ChartPng.dashedLine(bias + 1.96 * sd, Color.GRAY, String.format(Locale.ROOT,
                "+1.96 sd %.2f", bias + 1.96 * sd), RectangleAnchor.TOP_RIGHT));
        plot.addRangeMarker(ChartPng.dashedLine(bias - 1.96 * sd, Color.GRAY, String.format(Locale.ROOT,
                "-1.96 sd %.2f", bias - 1.96 * sd), RectangleAnchor.BOTTOM_RIGHT));
        return chart;
    }

    /** Confusion matrix of scores 0..10: rows truth (0 at the top), columns method, cells shaded by count. */
    public static void confusion(BufferedImage img, int panel, String title, int[] truth, int[] method) {
        draw(img, panel, confusion(title, truth, method));
    }

    static JFreeChart confusion(String title, int[] truth, int[] method) {
        int[][] c = new int[11][11];
        int max = 1;
        for (int i = 0; i < truth.length; i++) {
            max = Math.max(max, ++c[truth[i]][method[i]]);
        }
        // one block per cell; its z is the cell's index, which the paint scale maps to the cell's colour
        double[][] cells = new double[3][121];
        LookupPaintScale colours = new LookupPaintScale(0, 121, Color.WHITE);
        for (int i = 0; i < 121; i++) {
            int t = i / 11;
            int m = i % 11;
            cells[0][i] = m;
            cells[1][i] = t;
            cells[2][i] = i;
            Color fill = t == m ? SERIES[2] : Math.abs(t - m) == 1 ? SERIES[4] : SERIES[1];
            colours.add(i, c[t][m] == 0 ? new Color(245, 245, 245) : blend(fill, 0.2f + 0.8f * c[t][m] / max));
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("cells", cells);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockWidth(0.95); // the white between the cells
        r.setBlockHeight(0.95);
        r.setPaintScale(colours);
        JFreeChart chart = ChartPng.style(new JFreeChart(title, new XYPlot(data, new NumberAxis("method ASPECTS"),
                new NumberAxis("truth"), r)));
        chart.removeLegend();
        r.setDefaultItemLabelGenerator((d, s, i) -> c[i / 11][i % 11] == 0 ? null : "" + c[i / 11][i % 11]);
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.CENTER, TextAnchor.CENTER));
        XYPlot plot = chart.getXYPlot();
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        ChartPng.fixedAxis(plot.getDomainAxis(), -0.5, 10.5, 1, "0");
        ChartPng.fixedAxis(plot.getRangeAxis(), -0.5, 10.5, 1, "0").setInverted(true);
        return chart;
    }

    private static Color blend(Color c, float a) {
        return new Color(Math.round(255 - a * (255 - c.getRed())), Math.round(255 - a * (255 - c.getGreen())),
                Math.round(255 - a * (255 - c.getBlue())));
    }

    /**
     * Grouped bars: {@code values[series][group]} in 0..1, one colour per series, an optional dashed bar line per
     * group ({@code bars[group]}, NaN for none).
     */
    public static void bars(BufferedImage img, int panel, String title, List<String> groups, List<String> series,
            double[][] values, double[] bars) {
        draw(img, panel, bars(title, groups, series, values, bars));
    }

    static JFreeChart bars(String title, List<String> groups, List<String> series, double[][] values, double[] bars) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        DefaultCategoryDataset goals = new DefaultCategoryDataset();
        for (int gi = 0; gi < groups.size(); gi++) {
            for (int si = 0; si < series.size(); si++) {
                data.addValue(Double.isNaN(values[si][gi]) ? null : values[si][gi], series.get(si), groups.get(gi));
            }
            goals.addValue(bars == null || Double.isNaN(bars[gi]) ? null : bars[gi], "bar of issue 7", groups.get(gi));
        }
        JFreeChart chart = ChartPng.style(ChartFactory.createBarChart(title, null, null, data,
                PlotOrientation.VERTICAL, true, false, false));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(1.3f); // "within +-1" on one line
        ChartPng.fixedAxis(plot.getRangeAxis(), 0, 1, 0.2, "0.0");
        for (int si = 0; si < series.size(); si++) {
            plot.getRenderer().setSeriesPaint(si, SERIES[si % SERIES.length]);
        }
        if (bars != null) {
            LevelRenderer lines = new LevelRenderer();
            lines.setSeriesPaint(0, Color.BLACK);
            lines.setSeriesStroke(0, ChartPng.dashed(1.5f));
            lines.setLegendShape(0, ChartPng.dashed(1.5f).createStrokedShape(new Line2D.Double(-10, 0, 10, 0)));
            plot.setDataset(1, goals);
            plot.setRenderer(1, lines);
            plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        }
        return chart;
    }
}
