package org.deepstroke.core.cli;

import java.io.PrintWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * One command-line tool of the launcher ({@code deepstroke <tool>}). Each tool is one class with its own
 * options; the launcher finds tools through {@link java.util.ServiceLoader}, so a module adds a tool by listing
 * its class in {@code META-INF/services/org.deepstroke.core.cli.Tool}.
 */
public interface Tool {

    /** The name typed after {@code deepstroke}, e.g. {@code nifti-info}. */
    String name();

    /** One line for {@code deepstroke --list}. */
    String summary();

    /** The tool's own options; {@code --help} is added by the launcher. */
    Options options();

    /**
     * Runs the tool; {@code out} is standard output, for the tool's data (JSON, YAML, tables); logs and
     * progress go to stderr. Returns the exit code (normally {@link ExitCodes#OK}). Bad input is reported by throwing
     * {@link ToolFailure} (exit 1) or {@link UsageError} (exit 2); the launcher turns either into one line.
     */
    int run(CommandLine cmd, PrintWriter out) throws Exception;
}
