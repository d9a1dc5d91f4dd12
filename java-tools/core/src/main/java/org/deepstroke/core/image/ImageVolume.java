package org.deepstroke.core.image;

import java.util.Arrays;

/**
 * A 3-D scalar image on a voxel grid with its voxel-to-world affine (RAS+, millimetres). Values are floats
 * (HU, label ids, probabilities); index order is x fastest: {@code x + nx * (y + ny * z)}, as in NIfTI.
 */
public final class ImageVolume {

    private final int nx;
    private final int ny;
    private final int nz;
    private final float[] data;
    private final Affine voxelToWorld;
    private final int xformCode;

    /**
     * @param xformCode NIfTI meaning of the world space (1 scanner, 2 aligned, 3 Talairach, 4 MNI152, 5 template)
     */
    public ImageVolume(int nx, int ny, int nz, float[] data, Affine voxelToWorld, int xformCode) {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("bad dimensions " + nx + "x" + ny + "x" + nz);
        }
        if ((long) nx * ny * nz != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " != " + nx + "x" + ny + "x" + nz);
        }
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.data = data;
        this.voxelToWorld = voxelToWorld;
        this.xformCode = xformCode;
    }

    public ImageVolume(int nx, int ny, int nz, Affine voxelToWorld) {
        this(nx, ny, nz, new float[Math.multiplyExact(Math.multiplyExact(nx, ny), nz)], voxelToWorld, 1);
    }

    /** An empty volume on the same grid (and world space) as this one. */
    public ImageVolume blankLike() {
        return new ImageVolume(nx, ny, nz, new float[data.length], voxelToWorld, xformCode);
    }

    /** The same grid with other values. */
    public ImageVolume withData(float[] values) {
        return new ImageVolume(nx, ny, nz, values, voxelToWorld, xformCode);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int[] dims() {
        return new int[] {nx, ny, nz};
    }

    public int size() {
        return data.length;
    }

    /** The backing array (not a copy: tools work in place on large volumes). */
    public float[] data() {
        return data;
    }

    public Affine voxelToWorld() {
        return voxelToWorld;
    }

    public int xformCode() {
        return xformCode;
    }

    public double[] spacing() {
        return voxelToWorld.columnNorms();
    }

    public int index(int x, int y, int z) {
        return x + nx * (y + ny * z);
    }

    public float get(int x, int y, int z) {
        return data[index(x, y, z)];
    }

    public void set(int x, int y, int z, float value) {
        data[index(x, y, z)] = value;
    }

    public boolean contains(int x, int y, int z) {
        return x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz;
    }

    /** True when both volumes have the same dimensions and affines within {@code tolerance} mm. */
    public boolean sameGrid(ImageVolume other, double tolerance) {
        return Arrays.equals(dims(), other.dims()) && voxelToWorld.maxDifference(other.voxelToWorld) <= tolerance;
    }
}
