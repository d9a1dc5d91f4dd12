package org.deepstroke.aspects.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The few plots the ASPECTS reports need, drawn with Java2D into panels of one picture (no plotting library in the
 * light class path): Bland-Altman of scores, a confusion matrix of scores, grouped bars of rates.
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

    private static Graphics2D graphics(BufferedImage img, int panel) {
        Graphics2D g = img.createGraphics();
        g.translate(panel * PANEL, 0);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return g;
    }

    /** Bland-Altman: mean of (truth, method) against method - truth, with the bias and 95 % limits of agreement. */
    public static void blandAltman(BufferedImage img, int panel, String title, int[] truth, int[] method) {
        Graphics2D g = graphics(img, panel);
        try {
            int n = truth.length;
            double[] diff = new double[n];
            double bias = 0;
            for (int i = 0; i < n; i++) {
                diff[i] = method[i] - truth[i];
                bias += diff[i] / n;
            }
            double var = 0;
            for (double d : diff) {
                var += (d - bias) * (d - bias) / Math.max(1, n - 1);
            }
            double sd = Math.sqrt(var);
            int x0 = 50;
            int y0 = 40;
            int w = PANEL - 70;
            int h = PANEL - 90;
            double yMax = Math.max(3, Math.ceil(Math.max(Math.abs(bias) + 2 * sd, maxAbs(diff))) + 0.5);
            g.setColor(Color.BLACK);
            g.drawString(title, x0, 20);
            g.drawRect(x0, y0, w, h);
            for (int t = 0; t <= 10; t += 2) {
                int x = x0 + (int) (w * t / 10.0);
                g.drawString(Integer.toString(t), x - 3, y0 + h + 14);
            }
            g.drawString("mean of truth and method (ASPECTS)", x0 + w / 2 - 90, y0 + h + 30);
            for (int t = (int) -yMax; t <= yMax; t++) {
                int y = y0 + (int) (h * (yMax - t) / (2 * yMax));
                g.drawString(Integer.toString(t), x0 - 20, y + 4);
            }
            g.drawString("method - truth", 2, y0 - 6);
            line(g, x0, y0, w, h, yMax, bias, new Color(52, 101, 164), String.format(Locale.ROOT, "bias %.2f", bias));
            line(g, x0, y0, w, h, yMax, bias + 1.96 * sd, Color.GRAY, String.format(Locale.ROOT, "+1.96 sd %.2f",
                    bias + 1.96 * sd));
            line(g, x0, y0, w, h, yMax, bias - 1.96 * sd, Color.GRAY, String.format(Locale.ROOT, "-1.96 sd %.2f",
                    bias - 1.96 * sd));
            // jitter repeated points a little so their count stays visible
            int[][] seen = new int[21][41];
            g.setColor(new Color(204, 0, 0, 170));
            for (int i = 0; i < n; i++) {
                double mean = (truth[i] + method[i]) / 2.0;
                int k = seen[(int) Math.round(mean * 2)][(int) Math.max(0, Math.min(40, diff[i] + 20))]++;
                int x = x0 + (int) (w * mean / 10.0) + 4 * (k % 4) - 6;
                int y = y0 + (int) (h * (yMax - diff[i]) / (2 * yMax)) - 4 * (k / 4);
                g.fillOval(x - 4, y - 4, 8, 8);
            }
        } finally {
            g.dispose();
        }
    }

    private static void line(Graphics2D g, int x0, int y0, int w, int h, double yMax, double v, Color c, String text) {
        int y = y0 + (int) (h * (yMax - v) / (2 * yMax));
        g.setColor(c);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(x0, y, x0 + w, y);
        g.setStroke(new BasicStroke(1));
        g.drawString(text, x0 + w - 90, y - 3);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Confusion matrix of scores 0..10: rows truth, columns method, cells shaded by count. */
    public static void confusion(BufferedImage img, int panel, String title, int[] truth, int[] method) {
        Graphics2D g = graphics(img, panel);
        try {
            int[][] c = new int[11][11];
            int max = 1;
            for (int i = 0; i < truth.length; i++) {
                max = Math.max(max, ++c[truth[i]][method[i]]);
            }
            int x0 = 50;
            int y0 = 40;
            int cell = (PANEL - 80) / 11;
            g.setColor(Color.BLACK);
            g.drawString(title, x0, 20);
            for (int t = 0; t <= 10; t++) {
                for (int m = 0; m <= 10; m++) {
                    int v = c[t][m];
                    float shade = v == 0 ? 0 : 0.2f + 0.8f * v / max;
                    Color fill = t == m ? new Color(78, 154, 6) : Math.abs(t - m) == 1 ? new Color(193, 125, 17)
                            : new Color(204, 0, 0);
                    g.setColor(v == 0 ? new Color(245, 245, 245) : blend(fill, shade));
                    g.fillRect(x0 + m * cell, y0 + t * cell, cell - 1, cell - 1);
                    if (v > 0) {
                        g.setColor(Color.BLACK);
                        g.drawString(Integer.toString(v), x0 + m * cell + cell / 2 - 4, y0 + t * cell + cell / 2 + 4);
                    }
                }
                g.setColor(Color.BLACK);
                g.drawString(Integer.toString(t), x0 - 16, y0 + t * cell + cell / 2 + 4);
                g.drawString(Integer.toString(t), x0 + t * cell + cell / 2 - 4, y0 + 11 * cell + 14);
            }
            g.drawString("method ASPECTS", x0 + 5 * cell - 30, y0 + 11 * cell + 30);
            g.drawString("truth", 4, y0 - 6);
        } finally {
            g.dispose();
        }
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
        Graphics2D g = graphics(img, panel);
        try {
            int x0 = 40;
            int y0 = 40;
            int w = PANEL - 60;
            int h = PANEL - 110;
            g.setColor(Color.BLACK);
            g.drawString(title, x0, 20);
            g.drawRect(x0, y0, w, h);
            for (int t = 0; t <= 10; t += 2) {
                int y = y0 + h - h * t / 10;
                g.drawString(String.format(Locale.ROOT, "%.1f", t / 10.0), 10, y + 4);
            }
            int groupW = w / groups.size();
            int barW = Math.max(4, (groupW - 10) / series.size());
            for (int gi = 0; gi < groups.size(); gi++) {
                int gx = x0 + gi * groupW + 5;
                for (int si = 0; si < series.size(); si++) {
                    double v = values[si][gi];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    int bh = (int) Math.round(h * Math.max(0, Math.min(1, v)));
                    g.setColor(SERIES[si % SERIES.length]);
                    g.fillRect(gx + si * barW, y0 + h - bh, barW - 2, bh);
                }
                if (bars != null && !Double.isNaN(bars[gi])) {
                    int y = y0 + h - (int) Math.round(h * bars[gi]);
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                            new float[] {4, 3}, 0));
                    g.drawLine(gx - 2, y, gx + groupW - 8, y);
                    g.setStroke(new BasicStroke(1));
                }
                g.setColor(Color.BLACK);
                g.drawString(groups.get(gi), gx, y0 + h + 14);
            }
            for (int si = 0; si < series.size(); si++) {
                int y = y0 + h + 30 + 14 * si;
                g.setColor(SERIES[si % SERIES.length]);
                g.fillRect(x0, y - 9, 10, 10);
                g.setColor(Color.BLACK);
                g.drawString(series.get(si), x0 + 14, y);
            }
            if (bars != null) {
                g.drawString("dashed: bar of issue 7", x0 + w - 130, y0 + h + 30);
            }
        } finally {
            g.dispose();
        }
    }
}
