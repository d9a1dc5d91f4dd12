package org.deepstroke.core.qc;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.deepstroke.core.io.AtomicFiles;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.LengthAdjustmentType;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;

/**
 * The look and the PNG output of the report charts (Dice per label, training curves, ASPECTS agreement), drawn with
 * JFreeChart: sans-serif fonts, white background, light grey grid, antialiased lines and text, flat bars, numbers in
 * {@link Locale#ROOT} (0.5, never 0,5). Nothing time-, locale- or display-dependent is drawn, so a chart renders
 * headless and the same data always gives the same bytes.
 *
 * <p>JFreeChart is an optional dependency of core: only the modules that draw charts carry it and call this class.
 */
public final class ChartPng {

    private static final Color GRID = new Color(210, 210, 210);
    private static final StandardChartTheme THEME = theme();

    private ChartPng() {
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("deepstroke");
        t.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 13)); // chart title
        t.setLargeFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12)); // axis labels
        t.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11)); // tick labels, legend, item labels
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setDomainGridlinePaint(GRID);
        t.setRangeGridlinePaint(GRID);
        t.setAxisLabelPaint(Color.BLACK);
        t.setLegendItemPaint(Color.BLACK);
        t.setAxisOffset(RectangleInsets.ZERO_INSETS);
        t.setBarPainter(new StandardBarPainter());
        t.setShadowVisible(false);
        return t;
    }

    /**
     * Gives a freshly made chart the platform's look and returns it. Call it before setting series colours and
     * strokes (it resets the automatic ones); number axes without a format get a {@link Locale#ROOT} one.
     */
    public static JFreeChart style(JFreeChart chart) {
        THEME.apply(chart);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(4, 4, 4, 8));
        List<ValueAxis> axes = new ArrayList<>();
        if (chart.getPlot() instanceof XYPlot p) {
            axes.addAll(p.getDomainAxes().values());
            axes.addAll(p.getRangeAxes().values());
        } else if (chart.getPlot() instanceof CategoryPlot p) {
            axes.addAll(p.getRangeAxes().values());
        }
        for (ValueAxis axis : axes) {
            if (axis instanceof NumberAxis n && n.getNumberFormatOverride() == null) {
                n.setNumberFormatOverride(NumberFormat.getNumberInstance(Locale.ROOT));
            }
        }
        return chart;
    }

    /** Fixes a number axis to {@code lower..upper} with a tick every {@code tick}, labelled by {@code pattern}. */
    public static NumberAxis fixedAxis(ValueAxis axis, double lower, double upper, double tick, String pattern) {
        NumberAxis n = (NumberAxis) axis;
        n.setRange(lower, upper);
        n.setTickUnit(new NumberTickUnit(tick));
        n.setNumberFormatOverride(new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)));
        return n;
    }

    /** The dashed stroke of goal lines. */
    public static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
    }

    /**
     * A dashed horizontal line across the plot at {@code value} (add it with {@code plot.addRangeMarker}), its label
     * at one end: {@code TOP_LEFT} puts it above the left end, {@code BOTTOM_RIGHT} below the right end, and so on.
     */
    public static ValueMarker dashedLine(double value, Paint paint, String label, RectangleAnchor end) {
        ValueMarker m = new ValueMarker(value, paint, dashed(1.5f));
        m.setLabel(label);
        m.setLabelFont(THEME.getRegularFont());
        m.setLabelPaint(paint);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
        m.setLabelOffsetType(LengthAdjustmentType.EXPAND);
        m.setLabelAnchor(end);
        boolean above = end == RectangleAnchor.TOP_LEFT || end == RectangleAnchor.TOP_RIGHT;
        boolean left = end == RectangleAnchor.TOP_LEFT || end == RectangleAnchor.BOTTOM_LEFT;
        m.setLabelTextAnchor(above ? left ? TextAnchor.BOTTOM_LEFT : TextAnchor.BOTTOM_RIGHT
                : left ? TextAnchor.TOP_LEFT : TextAnchor.TOP_RIGHT);
        return m;
    }

    /** Renders the chart at a fixed size on white (RGB) and writes it atomically as a PNG. */
    public static void write(JFreeChart chart, int width, int height, Path png) throws IOException {
        BufferedImage image = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }
}
