package org.deepstroke.evaluation;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.qc.ChartPng;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/** Bar chart of the mean Dice per label (bar) with the per-subject minimum (dot) and optional bar lines (dashed). */
public final class DiceChart {

    private static final Color GOAL = new Color(40, 150, 40);

    public record Bar(String name, double mean, double min) {
    }

    private DiceChart() {
    }

    public static void write(List<Bar> bars, double meanBar, double minBar, String title, Path png) throws IOException {
        ChartPng.write(chart(bars, meanBar, minBar, title), Math.max(420, 70 + bars.size() * 34), 440, png);
    }

    static JFreeChart chart(List<Bar> bars, double meanBar, double minBar, String title) {
        DefaultCategoryDataset means = new DefaultCategoryDataset();
        DefaultCategoryDataset minima = new DefaultCategoryDataset();
        for (Bar b : bars) {
            means.addValue(Double.isNaN(b.mean()) ? null : b.mean(), "mean over subjects", b.name());
            minima.addValue(Double.isNaN(b.min()) ? null : b.min(), "lowest subject", b.name());
        }
        JFreeChart chart = ChartPng.style(ChartFactory.createBarChart(title, null, "Dice", means,
                PlotOrientation.VERTICAL, true, false, false));
        CategoryPlot plot = chart.getCategoryPlot();
        CategoryAxis labels = plot.getDomainAxis();
        labels.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        labels.setLowerMargin(0.2 / Math.max(1, bars.size())); // a few pixels, not 5 % of a chart of 200 labels
        labels.setUpperMargin(labels.getLowerMargin());
        ChartPng.fixedAxis(plot.getRangeAxis(), 0, 1.04, 0.2, "0.0");
        BarRenderer meanBars = (BarRenderer) plot.getRenderer();
        meanBars.setSeriesPaint(0, new Color(70, 130, 180));
        meanBars.setMaximumBarWidth(0.08); // a few labels: bars of the usual width, not slabs
        LineAndShapeRenderer dots = new LineAndShapeRenderer(false, true);
        dots.setSeriesPaint(0, new Color(200, 60, 40));
        dots.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        plot.setDataset(1, minima);
        plot.setRenderer(1, dots);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        if (!Double.isNaN(meanBar)) {
            plot.addRangeMarker(ChartPng.dashedLine(meanBar, GOAL, String.format(Locale.ROOT,
                    "bar: mean Dice %.2f", meanBar), RectangleAnchor.TOP_LEFT));
        }
        if (!Double.isNaN(minBar)) {
            plot.addRangeMarker(ChartPng.dashedLine(minBar, GOAL, String.format(Locale.ROOT,
                    "bar: lowest label %.2f", minBar), RectangleAnchor.BOTTOM_LEFT));
        }
        return chart;
    }
}
