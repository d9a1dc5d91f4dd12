package org.deepstroke.core.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Progress of long work: a redrawn bar when stderr is a terminal, otherwise a plain line at most every
 * {@code interval} (logs of Nextflow tasks and cluster jobs stay short and readable).
 */
public final class Progress implements AutoCloseable {

    private static final int BAR_WIDTH = 30;

    private final String label;
    private long total;
    private final PrintStream stream;
    private final boolean terminal;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastPrintNanos;

    public Progress(String label, long total) {
        this(label, total, System.err, System.console() != null, Duration.ofSeconds(10));
    }

    public Progress(String label, long total, PrintStream stream, boolean terminal, Duration interval) {
        this.label = label;
        this.total = Math.max(total, 0);
        this.stream = stream;
        this.terminal = terminal;
        this.intervalNanos = interval.toNanos();
        this.lastPrintNanos = startNanos;
    }

    /**
     * Adds {@code more} units to the total: work whose size is learnt as it goes (a scan that lists one root at a
     * time) shows the total known so far.
     */
    public synchronized void extend(long more) {
        total += Math.max(more, 0);
    }

    /** Records {@code n} more units of work done. */
    public synchronized void advance(long n) {
        done = Math.min(total, done + n);
        long now = System.nanoTime();
        boolean finished = done == total;
        if (terminal) {
            if (finished || now - lastPrintNanos > 100_000_000L) {
                stream.print("\r" + bar() + (finished ? "\n" : ""));
                stream.flush();
                lastPrintNanos = now;
            }
        } else if (now - lastPrintNanos >= intervalNanos) {
            stream.println(line());
            lastPrintNanos = now;
        }
    }

    private String bar() {
        int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
        return label + " [" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + line().substring(
                label.length() + 1);
    }

    /** {@code label done/total (pct%) elapsed, eta}. */
    String line() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double fraction = total == 0 ? 1 : (double) done / total;
        String eta = fraction > 0 && fraction < 1 ? String.format(", eta %.0fs", seconds / fraction - seconds) : "";
        return String.format("%s %d/%d (%.0f%%) %.0fs%s", label, done, total, 100 * fraction, seconds, eta);
    }

    @Override
    public synchronized void close() {
        if (!terminal && done > 0) {
            stream.println(line());
        }
    }
}
