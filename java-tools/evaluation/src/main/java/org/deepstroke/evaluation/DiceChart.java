package org.deepstroke.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deepstroke.core.io.AtomicFiles;

/** Bar chart of the mean Dice per label (bar) with the per-subject minimum (dot) and optional bar lines. */
final class DiceChart {

    record Bar(String name, double mean, double min) {
    }

    private DiceChart() {
    }

    static void write(List<Bar> bars, double meanBar, double minBar, String title, Path png) throws IOException {
        int barWidth = 34;
        int left = 50;
        int top = 40;
        int plotHeight = 300;
        int width = left + 20 + bars.size() * barWidth;
        int height = top + plotHeight + 70;
        BufferedImage image = new BufferedImage(Math.max(width, 420), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        g.drawString(title, left, 20);
        for (int t = 0; t <= 10; t += 2) {
            int y = top + plotHeight - t * plotHeight / 10;
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, left + bars.size() * barWidth, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.1f", t / 10.0), 20, y + 4);
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int x = left + i * barWidth + 4;
            double mean = Double.isNaN(b.mean()) ? 0 : b.mean();
            int h = (int) Math.round(mean * plotHeight);
            g.setColor(new Color(70, 130, 180));
            g.fillRect(x, top + plotHeight - h, barWidth - 8, h);
            if (!Double.isNaN(b.min())) {
                g.setColor(new Color(200, 60, 40));
                int ym = top + plotHeight - (int) Math.round(b.min() * plotHeight);
                g.fillOval(x + (barWidth - 8) / 2 - 3, ym - 3, 7, 7);
            }
            g.setColor(Color.BLACK);
            Graphics2D r = (Graphics2D) g.create();
            r.translate(x + 12, top + plotHeight + 8);
            r.rotate(Math.PI / 2);
            r.drawString(b.name(), 0, 0);
            r.dispose();
        }
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        for (double bar : new double[] {meanBar, minBar}) {
            if (!Double.isNaN(bar)) {
                int y = top + plotHeight - (int) Math.round(bar * plotHeight);
                g.setColor(new Color(40, 150, 40));
                g.drawLine(left, y, left + bars.size() * barWidth, y);
            }
        }
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }
}
