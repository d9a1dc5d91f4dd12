package org.deepstroke.unet.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deepstroke.unet.model.LesionLoss;
import org.deepstroke.unet.model.TerritoryGatedLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Synchronous data parallelism for a SameDiff training graph: what DL4J's {@code ParallelWrapper} does for
 * {@code MultiLayerNetwork} and {@code ComputationGraph}, which it is limited to. One replica of the graph per
 * worker; each worker is one thread bound to a device (worker w on device w mod the backend's device count: one GPU
 * each on a DGX, all on the host with the CPU backend). Every iteration each worker fits its own batch on its
 * replica, then the weights and the Adam state are averaged across the replicas and written back to all of them
 * ({@link Nd4j#averageAndPropagate}, which copies between devices) -- ParallelWrapper's parameter averaging with
 * averaging frequency 1 and averaged updaters, its defaults.
 *
 * <p>Replica 0 is the caller's graph, so checkpoints, the best model and validation keep working on it unchanged.
 * The other replicas are loaded, each on its own worker thread (so on its device), from a snapshot of that graph
 * including the optimiser state: a training resumed from a checkpoint starts every replica from the same Adam
 * state. Dropout masks come from each worker thread's own ND4J random generator, seeded per iteration, so a run is
 * deterministic for a given seed and worker count.
 */
final class DataParallel implements AutoCloseable {

    private final List<SameDiff> replicas;
    private final List<ExecutorService> workers;
    private final List<String> variables;
    private final TerritoryGatedLoss.Settings tagl;
    private final LesionLoss.Settings lesion;
    private double lastTagl = Double.NaN;
    private double lastLesion = Double.NaN;

    private DataParallel(List<SameDiff> replicas, List<ExecutorService> workers, TerritoryGatedLoss.Settings tagl,
            LesionLoss.Settings lesion) {
        this.replicas = replicas;
        this.workers = workers;
        this.tagl = tagl;
        this.lesion = lesion;
        this.variables = replicas.get(0).variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE).map(SDVariable::name).toList();
    }

    /** Replicas of {@code main} for {@code n} workers (n >= 2); {@code scratch} holds the snapshot for a moment. */
    static DataParallel create(SameDiff main, int n, Path scratch) throws IOException {
        return create(main, n, scratch, null);
    }

    /** As {@link #create(SameDiff, int, Path)} for a graph whose loss includes TAGL ({@code tagl}; null = none). */
    static DataParallel create(SameDiff main, int n, Path scratch, TerritoryGatedLoss.Settings tagl)
            throws IOException {
        return create(main, n, scratch, tagl, null);
    }

    /** As {@link #create(SameDiff, int, Path, TerritoryGatedLoss.Settings)} with a lesion head's loss (null = none). */
    static DataParallel create(SameDiff main, int n, Path scratch, TerritoryGatedLoss.Settings tagl,
            LesionLoss.Settings lesion) throws IOException {
        if (n < 2) {
            throw new IllegalArgumentException("data parallelism needs at least 2 workers, not " + n);
        }
        int devices = Math.max(1, Nd4j.getAffinityManager().getNumberOfDevices());
        List<ExecutorService> workers = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            int device = w % devices;
            String name = "unet-worker-" + w;
            workers.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(() -> {
                    // arrays this thread creates live on its device, and its ops run there
                    Nd4j.getAffinityManager().unsafeSetDevice(device);
                    r.run();
                }, name);
                t.setDaemon(true);
                return t;
            }));
        }
        Files.createDirectories(scratch);
        Path snapshot = Files.createTempFile(scratch, ".replica", ".fb");
        List<SameDiff> replicas = new ArrayList<>();
        replicas.add(main);
        try {
            main.save(snapshot.toFile(), true);
            List<Future<SameDiff>> loading = new ArrayList<>();
            for (int w = 1; w < n; w++) {
                loading.add(workers.get(w).submit(() -> SameDiff.load(snapshot.toFile(), true)));
            }
            for (Future<SameDiff> f : loading) {
                replicas.add(get(f));
            }
        } catch (RuntimeException e) {
            workers.forEach(ExecutorService::shutdownNow);
            throw e;
        } finally {
            Files.deleteIfExists(snapshot);
        }
        return new DataParallel(replicas, workers, tagl, lesion);
    }

    /** The mean weighted TAGL term of the last {@link #fit}; NaN without TAGL. */
    double lastTagl() {
        return lastTagl;
    }

    /** The mean weighted lesion term of the last {@link #fit}; NaN without a lesion head. */
    double lastLesion() {
        return lastLesion;
    }

    SameDiff replica(int w) {
        return replicas.get(w);
    }

    /**
     * One iteration: batch w on replica w (at most one batch per worker; fewer at the end of an epoch), then the
     * average over the replicas that fitted, written to every replica.
     *
     * @param seed dropout seed of this iteration; worker w uses {@code seed + w}
     * @return the mean training loss of the fitted batches
     */
    double fit(List<DataSet> batches, long seed) {
        if (batches.isEmpty() || batches.size() > replicas.size()) {
            throw new IllegalArgumentException(batches.size() + " batches for " + replicas.size() + " workers");
        }
        List<Future<double[]>> losses = new ArrayList<>();
        for (int w = 0; w < batches.size(); w++) {
            int worker = w;
            losses.add(workers.get(w).submit(() -> {
                Nd4j.getRandom().setSeed(seed + worker);
                LossListener listener = new LossListener(tagl, lesion);
                replicas.get(worker).fit(batches.get(worker), listener);
                return new double[] {listener.last(), listener.lastTagl(), listener.lastLesion()};
            }));
        }
        double sum = 0;
        double taglSum = 0;
        double lesionSum = 0;
        for (Future<double[]> f : losses) {
            double[] l = get(f);
            sum += l[0];
            taglSum += l[1];
            lesionSum += l[2];
        }
        average(batches.size());
        lastTagl = taglSum / batches.size();
        lastLesion = lesionSum / batches.size();
        return sum / batches.size();
    }

    /** Averages weights and optimiser state over replicas [0, participants) and copies the result to the rest. */
    void average(int participants) {
        for (String name : variables) {
            List<INDArray> arrays = new ArrayList<>();
            for (SameDiff r : replicas) {
                arrays.add(r.getVariable(name).getArr());
            }
            averageInto(arrays, participants);
        }
        Map<String, GradientUpdater> first = replicas.get(0).getUpdaterMap();
        if (first == null) {
            return; // nothing fitted yet
        }
        for (String name : first.keySet()) {
            for (String key : state(first.get(name)).keySet()) {
                List<INDArray> arrays = new ArrayList<>();
                for (SameDiff r : replicas) {
                    Map<String, GradientUpdater> updaters = r.getUpdaterMap();
                    if (updaters == null || updaters.get(name) == null) {
                        throw new IllegalStateException("replica without optimiser state for " + name
                                + " (every worker must fit in the first iteration)");
                    }
                    arrays.add(state(updaters.get(name)).get(key));
                }
                averageInto(arrays, participants);
            }
        }
    }

    /** An updater's state arrays (Adam: M and V), the updater's own arrays, not copies. */
    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> state(GradientUpdater<?> updater) {
        return updater.getState();
    }

    private static void averageInto(List<INDArray> arrays, int participants) {
        List<INDArray> fitted = arrays.subList(0, participants);
        if (participants > 1) {
            Nd4j.averageAndPropagate(fitted);
        }
        for (INDArray rest : arrays.subList(participants, arrays.size())) {
            rest.assign(fitted.get(0));
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a worker", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("worker failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        workers.forEach(ExecutorService::shutdownNow);
    }
}
