package org.deepstroke.core.qc;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;

/**
 * Renders one axial slice of a grey-scale volume, optionally with a label map laid over it, as an RGB image with
 * anterior up. It works on voxel axes without resampling: the voxel axis closest to each RAS axis is read from the
 * affine, so LAS, RAS or y-flipped grids all come out the same way round. Pixels are square millimetres scaled by
 * {@link #pixelsPerMm(double)}, so anisotropic voxels keep their true aspect.
 *
 * <p>Labels are drawn as a semi-transparent fill plus an opaque outline, so the anatomy underneath stays visible
 * and neighbouring regions of similar colour stay distinguishable.
 */
public final class SliceRenderer {

    /** Which side of the patient appears on the left of the image. */
    public enum Convention {
        /** Patient right on image left (as the radiologist facing the patient sees it; the clinical default). */
        RADIOLOGICAL("radiological convention: patient right on image left"),
        /** Patient left on image left (as seen from behind / above). */
        NEUROLOGICAL("neurological convention: patient left on image left");

        private final String description;

        Convention(String description) {
            this.description = description;
        }

        /** A sentence to print on the image, so nobody has to guess the side. */
        public String description() {
            return description;
        }
    }

    private final ImageVolume grey;
    private final double windowLow;
    private final double windowHigh;
    private final int[] axisOf = new int[3];      // RAS axis -> voxel axis
    private final boolean[] increasing = new boolean[3]; // RAS axis: does its coordinate grow with the voxel index?
    private ImageVolume labels;
    private Map<Integer, Color> colours = Map.of();
    private float alpha = 0.45f;
    private Convention convention = Convention.RADIOLOGICAL;
    private double pixelsPerMm = 2;
    private boolean markers = true;

    private SliceRenderer(ImageVolume grey, double windowLow, double windowHigh) {
        if (!(windowHigh > windowLow)) {
            throw new IllegalArgumentException("empty grey window " + windowLow + ".." + windowHigh);
        }
        this.grey = grey;
        this.windowLow = windowLow;
        this.windowHigh = windowHigh;
        orient(grey.voxelToWorld());
    }

    /** A renderer of {@code grey} mapping {@code windowLow..windowHigh} to black..white. */
    public static SliceRenderer of(ImageVolume grey, double windowLow, double windowHigh) {
        return new SliceRenderer(grey, windowLow, windowHigh);
    }

    /**
     * Lays a label map (same grid as the grey volume) over the slices; labels without a colour, and 0, are not
     * drawn.
     */
    public SliceRenderer labels(ImageVolume labelMap, Map<Integer, Color> labelColours, double fillAlpha) {
        if (!labelMap.sameGrid(grey, 1e-4)) {
            throw new IllegalArgumentException("the label map's grid differs from the grey volume's");
        }
        this.labels = labelMap;
        this.colours = Map.copyOf(labelColours);
        this.alpha = (float) Math.max(0, Math.min(1, fillAlpha));
        return this;
    }

    public SliceRenderer convention(Convention value) {
        this.convention = value;
        return this;
    }

    /** Output pixels per millimetre (default 2). */
    public SliceRenderer pixelsPerMm(double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("pixels per mm must be positive: " + value);
        }
        this.pixelsPerMm = value;
        return this;
    }

    /** Whether to print R/L/A/P at the image edges (default on). */
    public SliceRenderer markers(boolean value) {
        this.markers = value;
        return this;
    }

    public Convention convention() {
        return convention;
    }

    /** The voxel axis (0, 1, 2) that runs closest to superior-inferior: axial slices are taken across it. */
    public int axialAxis() {
        return axisOf[2];
    }

    /** Number of axial slices, i.e. the grid's size along {@link #axialAxis()}. */
    public int axialSlices() {
        return grey.dims()[axisOf[2]];
    }

    /** The world z (mm, RAS) at the centre of an axial slice: for captions. */
    public double axialPositionMm(int slice) {
        int[] voxel = new int[3];
        voxel[axisOf[2]] = slice;
        return grey.voxelToWorld().apply(voxel[0], voxel[1], voxel[2])[2];
    }

    /** Width and height in pixels of every axial image of this volume. */
    public int[] axialSize() {
        double[] spacing = grey.spacing();
        int[] dims = grey.dims();
        return new int[] {
            Math.max(1, (int) Math.round(dims[axisOf[0]] * spacing[axisOf[0]] * pixelsPerMm)),
            Math.max(1, (int) Math.round(dims[axisOf[1]] * spacing[axisOf[1]] * pixelsPerMm))};
    }

    /**
     * Renders axial slice {@code slice} (an index along {@link #axialAxis()}): anterior up, the patient's sides as
     * {@link #convention()} says.
     */
    public BufferedImage axial(int slice) {
        if (slice < 0 || slice >= axialSlices()) {
            throw new IllegalArgumentException("axial slice " + slice + " outside 0.." + (axialSlices() - 1));
        }
        int[] size = axialSize();
        int width = size[0];
        int height = size[1];
        int[] voxelIndex = new int[width * height];
        for (int row = 0; row < height; row++) {
            int vy = voxelAlong(1, row, height);
            for (int col = 0; col < width; col++) {
                int vx = voxelAlong(0, col, width);
                int[] v = new int[3];
                v[axisOf[0]] = vx;
                v[axisOf[1]] = vy;
                v[axisOf[2]] = slice;
                voxelIndex[row * width + col] = grey.index(v[0], v[1], v[2]);
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] label = labelsAt(voxelIndex);
        for (int p = 0; p < voxelIndex.length; p++) {
            int g = greyLevel(grey.data()[voxelIndex[p]]);
            int rgb = (g << 16) | (g << 8) | g;
            Color colour = label[p] == 0 ? null : colours.get(label[p]);
            if (colour != null) {
                boolean edge = isEdge(label, p, width, height);
                rgb = edge ? colour.getRGB() & 0xffffff : blend(rgb, colour, alpha);
            }
            image.setRGB(p % width, p / width, rgb);
        }
        if (markers) {
            drawMarkers(image);
        }
        return image;
    }

    /** The voxel index along RAS axis {@code ras} (0 = x, 1 = y) for pixel {@code pixel} of {@code pixels}. */
    private int voxelAlong(int ras, int pixel, int pixels) {
        int n = grey.dims()[axisOf[ras]];
        int i = Math.min(n - 1, (int) ((pixel + 0.5) * n / pixels));
        // Image columns run from the side shown on the left; rows from anterior (top) to posterior.
        boolean leftIsHighX = convention == Convention.RADIOLOGICAL; // patient right = +x on the left
        boolean firstIsHigh = ras == 0 ? leftIsHighX : true;           // anterior (+y) on top
        return firstIsHigh == increasing[ras] ? n - 1 - i : i;
    }

    private int[] labelsAt(int[] voxelIndex) {
        int[] out = new int[voxelIndex.length];
        if (labels != null) {
            for (int p = 0; p < out.length; p++) {
                out[p] = Math.round(labels.data()[voxelIndex[p]]);
            }
        }
        return out;
    }

    private static boolean isEdge(int[] label, int p, int width, int height) {
        int x = p % width;
        int y = p / width;
        int l = label[p];
        return x == 0 || y == 0 || x == width - 1 || y == height - 1 || label[p - 1] != l || label[p + 1] != l
                || label[p - width] != l || label[p + width] != l;
    }

    private int greyLevel(float value) {
        double t = (value - windowLow) / (windowHigh - windowLow);
        if (!(t > 0)) {
            return 0; // also NaN
        }
        return t >= 1 ? 255 : (int) Math.round(255 * t);
    }

    private static int blend(int rgb, Color colour, float alpha) {
        int r = (int) Math.round((1 - alpha) * ((rgb >> 16) & 0xff) + alpha * colour.getRed());
        int g = (int) Math.round((1 - alpha) * ((rgb >> 8) & 0xff) + alpha * colour.getGreen());
        int b = (int) Math.round((1 - alpha) * (rgb & 0xff) + alpha * colour.getBlue());
        return (r << 16) | (g << 8) | b;
    }

    private void drawMarkers(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, image.getHeight() / 20)));
            g.setColor(Color.YELLOW);
            FontMetrics fm = g.getFontMetrics();
            int w = image.getWidth();
            int h = image.getHeight();
            String left = convention == Convention.RADIOLOGICAL ? "R" : "L";
            String right = convention == Convention.RADIOLOGICAL ? "L" : "R";
            int mid = h / 2 + fm.getAscent() / 2;
            g.drawString(left, 4, mid);
            g.drawString(right, w - 4 - fm.stringWidth(right), mid);
            g.drawString("A", (w - fm.stringWidth("A")) / 2, fm.getAscent() + 2);
            g.drawString("P", (w - fm.stringWidth("P")) / 2, h - fm.getDescent() - 2);
        } finally {
            g.dispose();
        }
    }

    /**
     * Assigns each RAS axis the voxel axis with the largest component along it (as nibabel's io_orientation
     * does for near-axis-aligned grids), greedily by the largest element so the assignment is a permutation.
     */
    private void orient(Affine affine) {
        boolean[] rasDone = new boolean[3];
        boolean[] voxelDone = new boolean[3];
        for (int round = 0; round < 3; round++) {
            int bestRas = -1;
            int bestVoxel = -1;
            double best = -1;
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    double v = Math.abs(affine.get(r, c));
                    if (!rasDone[r] && !voxelDone[c] && v > best) {
                        best = v;
                        bestRas = r;
                        bestVoxel = c;
                    }
                }
            }
            rasDone[bestRas] = true;
            voxelDone[bestVoxel] = true;
            axisOf[bestRas] = bestVoxel;
            increasing[bestRas] = affine.get(bestRas, bestVoxel) > 0;
        }
    }
}
