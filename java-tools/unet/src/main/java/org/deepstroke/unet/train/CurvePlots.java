package org.deepstroke.unet.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.qc.ChartPng;
import org.deepstroke.unet.data.LabelScheme;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The training curves as PNG line charts (JFreeChart, in the look of {@link ChartPng}): loss_curves.png (train and
 * validation loss per epoch) and dice_curves.png (validation Dice per foreground class, plus mean Dice and GDS in
 * black).
 */
public final class CurvePlots {

    static final int W = 900;
    static final int H = 560;

    private CurvePlots() {
    }

    public record Series(String name, double[] y, Color colour, float width) {
    }

    public static void write(TrainingHistory history, Path dir) throws IOException {
        List<EpochRecord> r = history.records();
        double[] x = r.stream().mapToDouble(EpochRecord::epoch).toArray();
        List<Series> loss = List.of(
                new Series("train loss", r.stream().mapToDouble(EpochRecord::trainLoss).toArray(),
                        new Color(31, 119, 180), 2.5f),
                new Series("validation loss", r.stream().mapToDouble(EpochRecord::valLoss).toArray(),
                        new Color(214, 39, 40), 2.5f));
        ChartPng.write(chart("DiceCE loss per epoch", "loss", x, loss, false), W, H, dir.resolve("loss_curves.png"));
        List<Series> dice = new ArrayList<>();
        int classes = history.classes();
        for (int c = 1; c < classes; c++) {
            final int cc = c;
            float hue = (float) (c - 1) / (classes - 1);
            dice.add(new Series(LabelScheme.className(c, classes),
                    r.stream().mapToDouble(e -> e.valDice()[cc]).toArray(),
                    Color.getHSBColor(hue, 0.75f, 0.85f), 1.2f));
        }
        dice.add(new Series("mean Dice", r.stream().mapToDouble(EpochRecord::meanDice).toArray(), Color.BLACK,
                3f));
        dice.add(new Series("GDS", r.stream().mapToDouble(EpochRecord::generalizedDice).toArray(),
                Color.DARK_GRAY, 1.5f));
        ChartPng.write(chart("Validation Dice per class", "Dice", x, dice, true), W, H, dir.resolve("dice_curves.png"));
    }

    static JFreeChart chart(String title, String yLabel, double[] x, List<Series> series, boolean unitRange) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false);
            for (int i = 0; i < x.length; i++) {
                xy.add(x[i], Double.isFinite(s.y()[i]) ? s.y()[i] : Double.NaN); // NaN: a gap in the line
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartPng.style(ChartFactory.createXYLineChart(title, "epoch", yLabel, data,
                PlotOrientation.VERTICAL, true, false, false));
        chart.getLegend().setPosition(RectangleEdge.RIGHT);
        XYPlot plot = chart.getXYPlot();
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // the later series (mean Dice, GDS) on top
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        r.setDefaultShapesVisible(x.length == 1); // one epoch: a dot, no line
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, series.get(i).colour());
            r.setSeriesStroke(i, new BasicStroke(series.get(i).width()));
        }
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        if (unitRange) {
            ChartPng.fixedAxis(plot.getRangeAxis(), 0, 1, 0.1, "0.0");
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        }
        return chart;
    }
}
