package org.deepstroke.ingest.scan;

import com.carrotsearch.hppc.DoubleArrayList;
import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.LongArrayList;
import java.util.AbstractList;
import java.util.List;

/**
 * One series' instances as columns of primitives (position, instance number, path handle): about 36 bytes per
 * instance plus its path in the shared {@link PathPool}, where a record per instance cost about 200 (issue 16 item
 * 11). A missing ImagePositionPatient is stored as NaN.
 */
final class InstanceTable {

    private final PathPool paths;
    private final DoubleArrayList xyz = new DoubleArrayList(3);
    private final IntArrayList numbers = new IntArrayList(1);
    private final LongArrayList handles = new LongArrayList(1);

    InstanceTable(PathPool paths) {
        this.paths = paths;
    }

    void add(String root, String path, double[] position, int instanceNumber) {
        for (int i = 0; i < 3; i++) {
            xyz.add(position == null || position.length < 3 ? Double.NaN : position[i]);
        }
        numbers.add(instanceNumber);
        handles.add(paths.add(root, path));
    }

    int size() {
        return numbers.size();
    }

    /** ImagePositionPatient of instance {@code i}, or null when its header had none. */
    double[] position(int i) {
        double x = xyz.get(3 * i);
        double y = xyz.get(3 * i + 1);
        double z = xyz.get(3 * i + 2);
        return Double.isNaN(x) || Double.isNaN(y) || Double.isNaN(z) ? null : new double[] {x, y, z};
    }

    boolean allPositioned() {
        for (int i = 0; i < size(); i++) {
            if (position(i) == null) {
                return false;
            }
        }
        return true;
    }

    int instanceNumber(int i) {
        return numbers.get(i);
    }

    /**
     * The file list of instances {@code order[k]} with positions {@code depths[k]} (null: no depths), read from
     * the pool on demand: a decided series keeps 8 bytes per instance, not an entry object.
     */
    List<SeriesFiles.Entry> files(int[] order, double[] depths) {
        long[] h = new long[order.length];
        for (int k = 0; k < order.length; k++) {
            h[k] = handles.get(order[k]);
        }
        return new PooledFiles(paths, h, depths);
    }

    /** A read-only file list backed by the pool. */
    private static final class PooledFiles extends AbstractList<SeriesFiles.Entry> {
        private final PathPool paths;
        private final long[] handles;
        private final double[] depths;

        PooledFiles(PathPool paths, long[] handles, double[] depths) {
            this.paths = paths;
            this.handles = handles;
            this.depths = depths;
        }

        @Override
        public SeriesFiles.Entry get(int k) {
            return paths.entry(handles[k], depths == null ? Double.NaN : depths[k]);
        }

        @Override
        public int size() {
            return handles.length;
        }
    }
}
