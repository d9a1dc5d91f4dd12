package org.deepstroke.onescan;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.deepstroke.core.cli.Tool;

/**
 * Runs another tool's {@code run} in this JVM with the arguments its Nextflow process passes: the one-scan path
 * goes through exactly the code the pipeline runs (issue 18 item 5), without a JVM start per step. Failures
 * propagate as the tool threw them (ToolFailure/UsageError: one line at the launcher).
 */
final class InProcess {

    private InProcess() {
    }

    static String run(Tool tool, List<String> args) throws Exception {
        CommandLine cmd;
        try {
            cmd = new DefaultParser().parse(tool.options(), args.toArray(new String[0]));
        } catch (ParseException e) {
            throw new IllegalStateException(tool.name() + " " + args + ": " + e.getMessage(), e);
        }
        StringWriter out = new StringWriter();
        int code = tool.run(cmd, new PrintWriter(out, true));
        if (code != 0) {
            throw new IllegalStateException(tool.name() + " exited " + code);
        }
        return out.toString();
    }
}
