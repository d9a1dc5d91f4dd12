package org.deepstroke.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.deepstroke.core.cli.Launcher;
import org.deepstroke.core.cli.Tool;

/**
 * Runs {@code deepstroke <tool> ...} in this JVM, through the same launcher and the same tool discovery
 * (ServiceLoader) as the jar, and returns what a user would see: the exit code, stdout, and stderr. Stderr
 * includes what libraries print to System.err during the run (PixelMed, java.util.logging), because a user
 * sees that too, and the "one clear error line" rule is about all of it.
 */
public final class InProcessTool {

    /** One run: exit code, standard output, standard error. */
    public record Result(int exit, String out, String err) {
    }

    private InProcessTool() {
    }

    /** {@code deepstroke args...}; tests run one at a time, so swapping System.err is safe here. */
    public static synchronized Result deepstroke(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream console = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new Launcher(ServiceLoader.load(Tool.class), new PrintWriter(out, true), new PrintWriter(err, true))
                    .run(args);
        } finally {
            System.setErr(console);
        }
        return new Result(exit, out.toString(), err + printed.toString(StandardCharsets.UTF_8));
    }
}
