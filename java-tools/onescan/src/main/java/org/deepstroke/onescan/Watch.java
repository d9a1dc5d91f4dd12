package org.deepstroke.onescan;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deepstroke.core.cli.ToolFailure;

/**
 * {@code aspects-scan --watch DIR}: one JVM that stays up (the U-Net model stays loaded: {@link UNetLabels} keeps
 * it) and scores every folder dropped into DIR once nothing in it has changed for {@link #SETTLE_MS}; each folder's
 * report goes to {@code <output-dir>/<folder name>/}. A folder that fails is reported in one line and skipped; the
 * folders present at start are scored too. Stops after {@code maxScans} folders (0 = never).
 */
public final class Watch {

    static final long SETTLE_MS = 2000;
    static final long POLL_MS = 500;

    private Watch() {
    }

    public static void run(OneScan.Settings base, Path watched, int maxScans, PrintWriter out, Consumer<String> log)
            throws Exception {
        if (!Files.isDirectory(watched)) {
            throw new ToolFailure(watched, "not a folder (--watch)");
        }
        log.accept("watching " + watched + " for new study folders (Ctrl-C stops)");
        Set<Path> done = new HashSet<>();
        int scans = 0;
        while (maxScans == 0 || scans < maxScans) {
            List<Path> folders;
            try (Stream<Path> s = Files.list(watched)) {
                folders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
            for (Path folder : folders) {
                if (done.contains(folder) || !settled(folder)) {
                    continue;
                }
                done.add(folder);
                scans++;
                OneScan.Settings s = new OneScan.Settings(List.of(folder),
                        base.outputDir().resolve(folder.getFileName().toString()), base.method(), base.model(),
                        base.template(), base.atlasLabels(), base.preset(), base.cutpoints(), base.side(),
                        base.rules(), base.pseudonyms(), base.threads(), null);
                try {
                    OneScan.Outcome o = OneScan.run(s, out, log, false);
                    out.printf(java.util.Locale.ROOT, "%s\tASPECTS %d\tside %s\tflags %s\treport %s\t%.2f s%n",
                            o.subject(), o.score(), o.side(), o.flagsOk() ? "ok" : "check", o.html(),
                            o.timings().get("total"));
                    out.flush();
                } catch (ToolFailure e) {
                    log.accept("error: " + e.oneLine());
                }
                if (maxScans > 0 && scans >= maxScans) {
                    return;
                }
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** True when no file below the folder changed in the last {@link #SETTLE_MS} (a copy has finished). */
    static boolean settled(Path folder) throws IOException {
        long newest = 0;
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.toList()) {
                FileTime t = Files.getLastModifiedTime(p);
                newest = Math.max(newest, t.toMillis());
            }
        }
        return System.currentTimeMillis() - newest >= SETTLE_MS;
    }
}
