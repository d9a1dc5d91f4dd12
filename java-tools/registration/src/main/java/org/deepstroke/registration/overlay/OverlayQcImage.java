package org.deepstroke.registration.overlay;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.qc.SliceRenderer;

/**
 * QC pictures of overlays in atlas space: axial slices of a grey image with coloured marks (e.g. the mean overlay
 * binned into colour steps, or overlay points over atlas outlines), the slices chosen where the marks are densest.
 */
public final class OverlayQcImage {

    private static final int MARGIN = 10;

    private OverlayQcImage() {
    }

    /** One panel: a mark map (ids with colours) over a grey image, at chosen slices. */
    public record Panel(String caption, ImageVolume grey, double low, double high, ImageVolume marks,
            Map<Integer, Color> colours) {
    }

    /**
     * The {@code n} axial slices with the largest sum of {@code weight}, at least {@code minGapMm} apart (the two
     * ASPECTS levels when the weight is an overlay).
     */
    public static List<Integer> busiestSlices(ImageVolume weight, int n, double minGapMm) {
        SliceRenderer r = SliceRenderer.of(weight, 0, 1);
        int axis = r.axialAxis();
        int slices = r.axialSlices();
        double[] sums = new double[slices];
        int[] dims = weight.dims();
        for (int z = 0; z < weight.nz(); z++) {
            for (int y = 0; y < weight.ny(); y++) {
                for (int x = 0; x < weight.nx(); x++) {
                    int s = axis == 0 ? x : axis == 1 ? y : z;
                    sums[s] += Math.max(0, weight.get(x, y, z));
                }
            }
        }
        double spacing = weight.spacing()[axis];
        List<Integer> chosen = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int best = -1;
            for (int s = 0; s < slices; s++) {
                boolean farEnough = true;
                for (int c : chosen) {
                    farEnough &= Math.abs(c - s) * spacing >= minGapMm;
                }
                if (farEnough && (best < 0 || sums[s] > sums[best])) {
                    best = s;
                }
            }
            if (best >= 0 && (chosen.isEmpty() || sums[best] > 0)) {
                chosen.add(best);
            }
        }
        chosen.sort(null);
        if (dims[axis] > 0 && chosen.isEmpty()) {
            chosen.add(slices / 2);
        }
        return chosen;
    }

    /** Rows = panels, columns = slices; title on top, legend at the bottom. */
    public static BufferedImage render(String title, List<Panel> panels, List<Integer> slices,
            Map<String, Color> legend) {
        System.setProperty("java.awt.headless", "true");
        List<List<BufferedImage>> tiles = new ArrayList<>();
        int tileW = 0;
        int tileH = 0;
        for (Panel p : panels) {
            SliceRenderer r = SliceRenderer.of(p.grey(), p.low(), p.high()).labels(p.marks(), p.colours(), 0.9)
                    .convention(SliceRenderer.Convention.RADIOLOGICAL).pixelsPerMm(1.5);
            List<BufferedImage> row = new ArrayList<>();
            for (int s : slices) {
                BufferedImage img = r.axial(s);
                tileW = Math.max(tileW, img.getWidth());
                tileH = Math.max(tileH, img.getHeight());
                row.add(img);
            }
            tiles.add(row);
        }
        int header = 30;
        int caption = 18;
        int footer = 22 + 18 * ((legend.size() + 2) / 3);
        int width = MARGIN + slices.size() * (tileW + MARGIN);
        int height = header + panels.size() * (caption + tileH + MARGIN) + footer;
        BufferedImage image = new BufferedImage(Math.max(width, 420), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, MARGIN, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int y = header;
            SliceRenderer positions = SliceRenderer.of(panels.get(0).grey(), 0, 1);
            for (int p = 0; p < panels.size(); p++) {
                g.setColor(Color.WHITE);
                g.drawString(panels.get(p).caption(), MARGIN, y + caption - 4);
                y += caption;
                for (int c = 0; c < slices.size(); c++) {
                    int x = MARGIN + c * (tileW + MARGIN);
                    g.drawImage(tiles.get(p).get(c), x, y, null);
                    g.setColor(Color.LIGHT_GRAY);
                    g.drawString(String.format("slice %d, z = %.0f mm", slices.get(c),
                            positions.axialPositionMm(slices.get(c))), x + 4, y + tileH - 6);
                }
                y += tileH + MARGIN;
            }
            int i = 0;
            for (Map.Entry<String, Color> e : legend.entrySet()) {
                int x = MARGIN + (i % 3) * 200;
                int ly = y + 14 + 18 * (i / 3);
                g.setColor(e.getValue());
                g.fillRect(x, ly - 10, 14, 12);
                g.setColor(Color.WHITE);
                g.drawString(e.getKey(), x + 20, ly);
                i++;
            }
            g.setColor(Color.LIGHT_GRAY);
            g.drawString(SliceRenderer.Convention.RADIOLOGICAL.description() + "; anterior up", MARGIN,
                    height - 6);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** A colour ramp (blue -> red) for {@code steps} bins of a value in (0, max]. */
    public static Map<Integer, Color> ramp(int steps) {
        Map<Integer, Color> colours = new LinkedHashMap<>();
        for (int k = 1; k <= steps; k++) {
            float t = steps == 1 ? 1 : (k - 1f) / (steps - 1f);
            colours.put(k, Color.getHSBColor(0.66f * (1 - t), 1f, 1f));
        }
        return colours;
    }
}
