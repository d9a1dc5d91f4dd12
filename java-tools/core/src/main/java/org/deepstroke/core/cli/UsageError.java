package org.deepstroke.core.cli;

/** Wrong use of a tool's options (exit code 2), e.g. a missing or malformed option value. */
public class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
