package org.deepstroke.unet.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.unet.data.LabelScheme;

/**
 * The training curves as PNG line charts (Java2D; no charting library on the light class path is worth a
 * dependency for two plots): loss_curves.png (train and validation loss per epoch) and dice_curves.png
 * (validation Dice per foreground class, plus mean Dice and GDS in black).
 */
public final class CurvePlots {

    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 70;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

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
        chart(dir.resolve("loss_curves.png"), "DiceCE loss per epoch", "loss", x, loss, false);
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
        chart(dir.resolve("dice_curves.png"), "Validation Dice per class", "Dice", x, dice, true);
    }

    static void chart(Path file, String title, String yLabel, double[] x, List<Series> series, boolean unitRange)
            throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double xMin = x.length == 0 ? 0 : x[0];
        double xMax = x.length == 0 ? 1 : Math.max(x[x.length - 1], xMin + 1);
        double yMin = 0;
        double yMax = 1;
        if (!unitRange) {
            yMax = 0;
            for (Series s : series) {
                for (double v : s.y()) {
                    if (Double.isFinite(v)) {
                        yMax = Math.max(yMax, v);
                    }
                }
            }
            yMax = yMax <= 0 ? 1 : yMax * 1.05;
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        g.setColor(new Color(235, 235, 235));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int yy = TOP + ph - i * ph / 5;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, yy, LEFT + pw, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", yMin + i * (yMax - yMin) / 5), 20, yy + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString("epoch", LEFT + pw / 2 - 15, H - 12);
        g.drawString(String.format(Locale.ROOT, "%.0f", xMin), LEFT - 3, TOP + ph + 16);
        g.drawString(String.format(Locale.ROOT, "%.0f", xMax), LEFT + pw - 10, TOP + ph + 16);
        g.drawString(yLabel, 8, TOP - 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, TOP - 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int legendY = TOP + 10;
        for (Series s : series) {
            g.setColor(s.colour());
            g.setStroke(new BasicStroke(s.width()));
            int px = -1;
            int py = -1;
            for (int i = 0; i < x.length; i++) {
                double v = s.y()[i];
                if (!Double.isFinite(v)) {
                    px = -1;
                    continue;
                }
                int cx = LEFT + (int) Math.round((x[i] - xMin) / (xMax - xMin) * pw);
                int cy = TOP + ph - (int) Math.round((Math.min(v, yMax) - yMin) / (yMax - yMin) * ph);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                } else if (x.length == 1) {
                    g.fillOval(cx - 3, cy - 3, 6, 6);
                }
                px = cx;
                py = cy;
            }
            g.drawLine(LEFT + pw + 12, legendY - 4, LEFT + pw + 32, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + pw + 38, legendY);
            legendY += 16;
        }
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }
}
