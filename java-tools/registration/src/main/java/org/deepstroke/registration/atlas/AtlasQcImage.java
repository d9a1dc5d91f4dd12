package org.deepstroke.registration.atlas;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.qc.SliceRenderer;

/**
 * The atlas QC picture: the label map over the template at the two ASPECTS levels side by side - the axial slice
 * with the most caudate + lentiform voxels (ganglionic level) and the one with the most M4-M6 voxels
 * (supraganglionic level) - with a colour legend and the display convention written on it.
 */
public final class AtlasQcImage {

    /** Grey window for the template: the same brain window the registration saw. */
    private static final HuClip GREY = new HuClip(0, 80);
    private static final int MARGIN = 10;
    private static final int LEGEND_WIDTH = 190;

    private AtlasQcImage() {
    }

    /**
     * Colours per structure; left and right share a hue (right darker) so the sides read as one set. Regions that
     * meet on a slice get clearly different hues (M4/M5/M6: cyan, yellow, magenta).
     */
    static Map<Integer, Color> colours() {
        Color[] base = {
            new Color(0x3b7dd8), new Color(0xff8c1a), new Color(0x2ca02c), new Color(0xe8283a), new Color(0x9a6ddb),
            new Color(0xa0522d), new Color(0xf28ac8), new Color(0x21d4e0), new Color(0xf5e11d), new Color(0xe040fb)};
        Map<Integer, Color> colours = new LinkedHashMap<>();
        for (AspectsRegion r : AspectsRegion.all()) {
            Color c = base[r.structure().ordinal()];
            colours.put(r.id(), r.side() == AspectsRegion.Side.L ? c : c.darker());
        }
        return colours;
    }

    /** The axial slice with the most voxels of the given regions (the lowest such slice on ties). */
    static int busiestSlice(SliceRenderer renderer, ImageVolume labels, Set<AspectsRegion> regions) {
        int axis = renderer.axialAxis();
        long[] counts = new long[renderer.axialSlices()];
        int[] dims = labels.dims();
        float[] data = labels.data();
        for (int z = 0; z < dims[2]; z++) {
            for (int y = 0; y < dims[1]; y++) {
                for (int x = 0; x < dims[0]; x++) {
                    int id = Math.round(data[labels.index(x, y, z)]);
                    if (id >= 1 && id <= AspectsRegion.values().length && regions.contains(AspectsRegion.ofId(id))) {
                        counts[axis == 0 ? x : axis == 1 ? y : z]++;
                    }
                }
            }
        }
        int best = 0;
        for (int s = 1; s < counts.length; s++) {
            if (counts[s] > counts[best]) {
                best = s;
            }
        }
        return best;
    }

    /** The slices chosen for the two panels: ganglionic and supraganglionic. */
    public record Slices(int ganglionic, int supraganglionic) {
    }

    public static Slices chooseSlices(ImageVolume template, ImageVolume labels) {
        SliceRenderer renderer = SliceRenderer.of(template, GREY.low(), GREY.high());
        return new Slices(
                busiestSlice(renderer, labels, EnumSet.of(AspectsRegion.C_L, AspectsRegion.L_L, AspectsRegion.C_R,
                        AspectsRegion.L_R)),
                busiestSlice(renderer, labels, EnumSet.of(AspectsRegion.M4_L, AspectsRegion.M5_L, AspectsRegion.M6_L,
                        AspectsRegion.M4_R, AspectsRegion.M5_R, AspectsRegion.M6_R)));
    }

    /** Renders the picture; {@code title} goes on top (e.g. the template's file name). */
    public static BufferedImage render(ImageVolume template, ImageVolume labels, String title) {
        System.setProperty("java.awt.headless", "true");
        SliceRenderer renderer = SliceRenderer.of(template, GREY.low(), GREY.high())
                .labels(labels, colours(), 0.45)
                .convention(SliceRenderer.Convention.RADIOLOGICAL)
                .pixelsPerMm(1.5);
        Slices slices = chooseSlices(template, labels);
        BufferedImage bg = renderer.axial(slices.ganglionic());
        BufferedImage sg = renderer.axial(slices.supraganglionic());
        int header = 46;
        int footer = 24;
        int width = MARGIN + bg.getWidth() + MARGIN + sg.getWidth() + MARGIN + LEGEND_WIDTH;
        int height = header + Math.max(Math.max(bg.getHeight(), sg.getHeight()), 22 * 11) + footer;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, MARGIN, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int x1 = MARGIN;
            int x2 = MARGIN + bg.getWidth() + MARGIN;
            g.drawString(String.format("ganglionic level (slice %d, z = %.0f mm)", slices.ganglionic(),
                    renderer.axialPositionMm(slices.ganglionic())), x1, header - 6);
            g.drawString(String.format("supraganglionic level (slice %d, z = %.0f mm)", slices.supraganglionic(),
                    renderer.axialPositionMm(slices.supraganglionic())), x2, header - 6);
            g.drawImage(bg, x1, header, null);
            g.drawImage(sg, x2, header, null);
            g.drawString(renderer.convention().description() + "; anterior up", MARGIN, height - 8);
            drawLegend(g, x2 + sg.getWidth() + MARGIN, header);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawLegend(Graphics2D g, int x, int y) {
        Map<Integer, Color> colours = colours();
        FontMetrics fm = g.getFontMetrics();
        int row = 22;
        int line = y + fm.getAscent();
        g.setColor(Color.WHITE);
        g.drawString("region", x, line);
        g.drawString("left", x + 68, line);
        g.drawString("right", x + 106, line);
        g.drawString("ids", x + 140, line);
        for (AspectsRegion.Structure s : AspectsRegion.Structure.values()) {
            line += row;
            AspectsRegion left = AspectsRegion.of(s, AspectsRegion.Side.L);
            AspectsRegion right = AspectsRegion.of(s, AspectsRegion.Side.R);
            g.setColor(Color.WHITE);
            g.drawString(s.code() + " (" + s.level() + ")", x, line);
            g.setColor(colours.get(left.id()));
            g.fillRect(x + 72, line - fm.getAscent() + 2, 16, 12);
            g.setColor(colours.get(right.id()));
            g.fillRect(x + 112, line - fm.getAscent() + 2, 16, 12);
            g.setColor(Color.LIGHT_GRAY);
            g.drawString(left.id() + "/" + right.id(), x + 140, line);
        }
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
