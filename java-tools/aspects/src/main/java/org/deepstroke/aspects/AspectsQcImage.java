package org.deepstroke.aspects;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.qc.SliceRenderer;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Level;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * The scoring picture: the basal-ganglia (BG) and supraganglionic (SG) slices side by side, each region coloured by
 * its decision: red = affected, green = not affected on the scored side, blue = contralateral (reference) side.
 */
public final class AspectsQcImage {

    static final Color AFFECTED = new Color(230, 30, 30);
    static final Color NORMAL = new Color(40, 200, 60);
    static final Color CONTRALATERAL = new Color(60, 110, 230);

    private AspectsQcImage() {
    }

    /** The axial slice (renderer's axial index) holding most voxels of the given level's regions; -1 if none. */
    static int levelSlice(SliceRenderer renderer, ImageVolume labels, Level level) {
        int axis = renderer.axialAxis();
        long[] count = new long[renderer.axialSlices()];
        for (int z = 0; z < labels.nz(); z++) {
            for (int y = 0; y < labels.ny(); y++) {
                for (int x = 0; x < labels.nx(); x++) {
                    int id = Math.round(labels.get(x, y, z));
                    if (id >= 1 && id <= 20 && AspectsRegion.ofId(id).level() == level) {
                        count[axis == 0 ? x : axis == 1 ? y : z]++;
                    }
                }
            }
        }
        int best = -1;
        for (int k = 0; k < count.length; k++) {
            if (count[k] > 0 && (best < 0 || count[k] > count[best])) {
                best = k;
            }
        }
        return best;
    }

    public static void write(Path file, String subject, ImageVolume ct, ImageVolume labels,
            AspectsScorer.Result result) throws IOException {
        Map<Integer, Color> colours = new HashMap<>();
        Map<Structure, AspectsScorer.StructureDecision> byStructure = AspectsScorer.byStructure(result);
        for (AspectsRegion r : AspectsRegion.values()) {
            Color c = r.side() != result.side() ? CONTRALATERAL
                    : byStructure.get(r.structure()).affected() ? AFFECTED : NORMAL;
            colours.put(r.id(), c);
        }
        SliceRenderer renderer = SliceRenderer.of(ct, 0, 80).labels(labels, colours, 0.35);
        double[] sp = ct.spacing();
        renderer.pixelsPerMm(Math.max(1, Math.min(3, 1.5 / Math.min(sp[0], sp[1]))));
        int bg = levelSlice(renderer, labels, Level.BG);
        int sg = levelSlice(renderer, labels, Level.SG);
        BufferedImage a = bg >= 0 ? renderer.axial(bg) : null;
        BufferedImage b = sg >= 0 ? renderer.axial(sg) : null;
        int[] size = renderer.axialSize();
        int header = 62;
        BufferedImage out = new BufferedImage(2 * size[0] + 10, size[1] + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            if (a != null) {
                g.drawImage(a, 0, header, null);
            }
            if (b != null) {
                g.drawImage(b, size[0] + 10, header, null);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.WHITE);
            g.drawString(String.format("%s  ASPECTS %d  side %s (%s)  affected: %s", subject, result.score(),
                    result.side(), result.sideDetected() ? "detected" : "given",
                    result.affected().isEmpty() ? "none" : result.affected().toString()), 6, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("BG slice " + bg + "   |   SG slice " + sg + "   " + renderer.convention().description(), 6, 36);
            legend(g, 6, 54, AFFECTED, "affected");
            legend(g, 86, 54, NORMAL, "normal (scored side)");
            legend(g, 246, 54, CONTRALATERAL, "reference side");
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, o -> ImageIO.write(out, "png", o));
    }

    private static void legend(Graphics2D g, int x, int y, Color c, String text) {
        g.setColor(c);
        g.fillRect(x, y - 10, 10, 10);
        g.setColor(Color.WHITE);
        g.drawString(text, x + 13, y);
    }
}
