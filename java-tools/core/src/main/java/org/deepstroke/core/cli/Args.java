package org.deepstroke.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;

/** Typed access to option values with usage errors that name the option. */
public final class Args {

    private Args() {
    }

    public static Path requiredPath(CommandLine cmd, String option) {
        String value = cmd.getOptionValue(option);
        if (value == null || value.isBlank()) {
            throw new UsageError("missing required option --" + option);
        }
        return Path.of(value);
    }

    /** The option's path, or null when the option is not given. */
    public static Path optionalPath(CommandLine cmd, String option) {
        String value = cmd.getOptionValue(option);
        return value == null ? null : Path.of(value);
    }

    /** A required input file that must exist and be a regular file. */
    public static Path existingFile(CommandLine cmd, String option) {
        Path path = requiredPath(cmd, option);
        if (!Files.isRegularFile(path)) {
            throw new ToolFailure(path, Files.exists(path) ? "not a regular file" : "no such file");
        }
        return path;
    }

    public static int intValue(CommandLine cmd, String option, int defaultValue) {
        String value = cmd.getOptionValue(option);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageError("--" + option + " expects a whole number, got '" + value + "'");
        }
    }

    /** A whole number that may exceed int (e.g. a seed); a UsageError naming the option otherwise. */
    public static long longValue(CommandLine cmd, String option, long defaultValue) {
        String value = cmd.getOptionValue(option);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageError("--" + option + " expects a whole number, got '" + value + "'");
        }
    }

    public static double doubleValue(CommandLine cmd, String option, double defaultValue) {
        String value = cmd.getOptionValue(option);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageError("--" + option + " expects a number, got '" + value + "'");
        }
    }
}
