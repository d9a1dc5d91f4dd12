package org.deepstroke.unet.evaluate;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.qc.SliceRenderer;

/** A row of axial slices through the labelled range: predicted labels over the CT (brain window). */
public final class Montage {

    private static final int SLICES = 6;

    private Montage() {
    }

    static Map<Integer, Color> colours() {
        Map<Integer, Color> m = new HashMap<>();
        for (int id = 1; id <= 20; id++) {
            int region = (id - 1) % 10;
            float hue = region / 10f;
            m.put(id, Color.getHSBColor(hue, id <= 10 ? 0.9f : 0.6f, id <= 10 ? 0.95f : 0.8f));
        }
        return m;
    }

    public static void write(ImageVolume ct, ImageVolume labels, String title, Path png) throws IOException {
        SliceRenderer r = SliceRenderer.of(ct, -10, 90).labels(labels, colours(), 0.45).pixelsPerMm(1.2);
        int axis = r.axialAxis();
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        int[] d = labels.dims();
        float[] v = labels.data();
        for (int z = 0; z < d[2]; z++) {
            for (int y = 0; y < d[1]; y++) {
                for (int x = 0; x < d[0]; x++) {
                    if (v[labels.index(x, y, z)] > 0) {
                        int s = axis == 0 ? x : axis == 1 ? y : z;
                        lo = Math.min(lo, s);
                        hi = Math.max(hi, s);
                    }
                }
            }
        }
        if (hi < 0) {
            lo = 0;
            hi = r.axialSlices() - 1;
        }
        int[] size = r.axialSize();
        BufferedImage out = new BufferedImage(size[0] * SLICES, size[1] + 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < SLICES; i++) {
            int slice = lo + (int) Math.round((hi - lo) * (i + 0.5) / SLICES);
            g.drawImage(r.axial(slice), i * size[0], 24, null);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(String.format(Locale.ROOT, "z %.0f mm", r.axialPositionMm(slice)), i * size[0] + 4, 40);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.WHITE);
        g.drawString(title, 6, 16);
        g.dispose();
        AtomicFiles.write(png, o -> ImageIO.write(out, "png", o));
    }
}
