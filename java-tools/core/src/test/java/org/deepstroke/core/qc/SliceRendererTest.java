package org.deepstroke.core.qc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Orientation is what matters in a QC picture: the same anatomy must come out the same way round whatever the
 * grid's axis order and flips, with the patient's right where the convention says.
 */
class SliceRendererTest {

    // A 20 x 30 x 10 mm block, 1 mm voxels; bright spot at the patient's right-anterior corner of slice z = 4 mm.
    static final int NX = 20;
    static final int NY = 30;
    static final int NZ = 10;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** RAS grid: index grows with x (right), y (anterior), z (superior). */
    static ImageVolume ras() {
        ImageVolume v = new ImageVolume(NX, NY, NZ, Affine.identity());
        paintRightAnterior(v, (x, y, z) -> new int[] {x, y, z});
        return v;
    }

    /** The same anatomy on an LAS grid (FSL's MNI152 order): x index runs right to left. */
    static ImageVolume las() {
        Affine a = Affine.ofRows(new double[] {-1, 0, 0, NX - 1}, new double[] {0, 1, 0, 0},
                new double[] {0, 0, 1, 0});
        ImageVolume v = new ImageVolume(NX, NY, NZ, a);
        paintRightAnterior(v, (x, y, z) -> new int[] {NX - 1 - x, y, z});
        return v;
    }

    /** The same anatomy with voxel axes permuted: axis 0 = anterior-posterior (flipped), 1 = x, 2 = z. */
    static ImageVolume permuted() {
        Affine a = Affine.ofRows(new double[] {0, 1, 0, 0}, new double[] {-1, 0, 0, NY - 1},
                new double[] {0, 0, 1, 0});
        ImageVolume v = new ImageVolume(NY, NX, NZ, a);
        paintRightAnterior(v, (x, y, z) -> new int[] {NY - 1 - y, x, z});
        return v;
    }

    interface ToVoxel {
        int[] of(int x, int y, int z);
    }

    /** Brain-grey background 30; value 80 at RAS (x >= 16, y >= 25) on z = 4 (x, y, z in mm = RAS index). */
    static void paintRightAnterior(ImageVolume v, ToVoxel voxel) {
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    int[] i = voxel.of(x, y, z);
                    v.set(i[0], i[1], i[2], z == 4 && x >= 16 && y >= 25 ? 80 : 30);
                }
            }
        }
    }

    static int grey(BufferedImage image, int col, int row) {
        return image.getRGB(col, row) & 0xff;
    }

    @Test
    void radiologicalPutsThePatientsRightOnTheImageLeftAndAnteriorUp() {
        BufferedImage image = SliceRenderer.of(ras(), 0, 80).pixelsPerMm(1).markers(false).axial(4);
        assertEquals(NX, image.getWidth());
        assertEquals(NY, image.getHeight());
        assertEquals(255, grey(image, 0, 0), "right-anterior spot at the top left");
        assertEquals(255, grey(image, 3, 4));
        assertEquals(96, grey(image, 4, 4), "30 HU in a 0..80 window");
        assertEquals(96, grey(image, NX - 1, 0));
        assertEquals(96, grey(image, 0, NY - 1));
    }

    @Test
    void neurologicalMirrorsLeftAndRight() {
        BufferedImage image = SliceRenderer.of(ras(), 0, 80).convention(SliceRenderer.Convention.NEUROLOGICAL)
                .pixelsPerMm(1).markers(false).axial(4);
        assertEquals(255, grey(image, NX - 1, 0));
        assertEquals(96, grey(image, 0, 0));
    }

    @Test
    void flippedAndPermutedGridsRenderIdentically() {
        int[] expected = pixels(SliceRenderer.of(ras(), 0, 80).pixelsPerMm(2).markers(false).axial(4));
        assertArrayEquals(expected, pixels(SliceRenderer.of(las(), 0, 80).pixelsPerMm(2).markers(false).axial(4)));
        SliceRenderer permuted = SliceRenderer.of(permuted(), 0, 80).pixelsPerMm(2).markers(false);
        assertEquals(2, permuted.axialAxis());
        assertArrayEquals(expected, pixels(permuted.axial(4)));
    }

    @Test
    void anisotropicVoxelsKeepTheirAspectInMillimetres() {
        ImageVolume v = new ImageVolume(40, 10, 5, Affine.diagonal(0.5, 2, 3));
        SliceRenderer r = SliceRenderer.of(v, 0, 1).pixelsPerMm(3);
        assertArrayEquals(new int[] {60, 60}, r.axialSize());
        BufferedImage image = r.axial(2);
        assertEquals(60, image.getWidth());
        assertEquals(60, image.getHeight());
        assertEquals(6.0, r.axialPositionMm(2), 1e-9);
    }

    @Test
    void labelsAreFilledSemiTransparentlyWithAnOpaqueOutline() {
        ImageVolume grey = ras();
        ImageVolume labels = grey.blankLike();
        for (int y = 5; y < 15; y++) {
            for (int x = 5; x < 15; x++) {
                labels.set(x, y, 4, 7);
            }
        }
        labels.set(0, 0, 4, 9); // a label without a colour is not drawn
        Color red = new Color(255, 0, 0);
        BufferedImage image = SliceRenderer.of(grey, 0, 80).labels(labels, Map.of(7, red), 0.5).pixelsPerMm(1)
                .markers(false).axial(4);
        // RAS (x, y) -> radiological column NX-1-x, row NY-1-y. Inside: half grey 96, half red.
        int inside = image.getRGB(NX - 1 - 10, NY - 1 - 10) & 0xffffff;
        assertEquals((176 << 16) | (48 << 8) | 48, inside);
        int edge = image.getRGB(NX - 1 - 5, NY - 1 - 10) & 0xffffff;
        assertEquals(0xff0000, edge);
        assertEquals(96, grey(image, NX - 1, NY - 1), "label 9 has no colour");
        assertEquals(96, grey(image, NX - 1 - 16, NY - 1 - 10), "outside the label");
    }

    @Test
    void rejectsALabelMapOnAnotherGrid() {
        ImageVolume grey = ras();
        ImageVolume other = new ImageVolume(NX, NY, NZ, Affine.identity().translate(1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> SliceRenderer.of(grey, 0, 80).labels(other, Map.of(), 0.5));
        assertThrows(IllegalArgumentException.class, () -> SliceRenderer.of(grey, 0, 80).axial(NZ));
    }

    @Test
    void markersNameTheSidesOfTheConvention() {
        BufferedImage plain = SliceRenderer.of(ras(), 0, 80).pixelsPerMm(8).markers(false).axial(4);
        BufferedImage marked = SliceRenderer.of(ras(), 0, 80).pixelsPerMm(8).axial(4);
        assertEquals(plain.getWidth(), marked.getWidth());
        // Text changes some pixels near the left and right edges, none in the middle of the image.
        assertEquals(true, differs(plain, marked, 0, plain.getWidth() / 6));
        assertEquals(false, differs(plain, marked, plain.getWidth() / 3, 2 * plain.getWidth() / 3,
                plain.getHeight() / 3, 2 * plain.getHeight() / 3));
    }

    static boolean differs(BufferedImage a, BufferedImage b, int fromCol, int toCol) {
        return differs(a, b, fromCol, toCol, 0, a.getHeight());
    }

    static boolean differs(BufferedImage a, BufferedImage b, int fromCol, int toCol, int fromRow, int toRow) {
        for (int row = fromRow; row < toRow; row++) {
            for (int col = fromCol; col < toCol; col++) {
                if (a.getRGB(col, row) != b.getRGB(col, row)) {
                    return true;
                }
            }
        }
        return false;
    }

    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
