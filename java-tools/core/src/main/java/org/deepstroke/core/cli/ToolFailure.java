package org.deepstroke.core.cli;

import java.nio.file.Path;

/**
 * A failure caused by an input or an external program, reported as one line naming the file and the reason.
 */
public class ToolFailure extends RuntimeException {

    private final Path file;

    public ToolFailure(Path file, String reason) {
        this(file, reason, null);
    }

    public ToolFailure(Path file, String reason, Throwable cause) {
        super(reason, cause);
        this.file = file;
    }

    public ToolFailure(String reason) {
        this(null, reason, null);
    }

    /** The file the failure is about, or null when it is not about one file. */
    public Path file() {
        return file;
    }

    /** {@code file: reason}, the form the launcher prints. */
    public String oneLine() {
        String reason = getMessage() == null ? getClass().getSimpleName() : getMessage();
        return (file == null ? "" : file + ": ") + reason.replace('\n', ' ');
    }
}
