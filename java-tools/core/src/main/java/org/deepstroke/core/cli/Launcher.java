package org.deepstroke.core.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.deepstroke.core.io.FileErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deepstroke <tool> [options]}: one entry point for every tool (Picard/GATK style). Finds tools with
 * {@link ServiceLoader}, parses their options with Commons CLI and turns every failure into one line on stderr
 * with a fixed exit code: 0 ok, 1 failure, 2 usage error.
 */
public final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    private static final String PROGRAM = "deepstroke";

    private final Map<String, Tool> tools;
    private final PrintWriter out;
    private final PrintWriter err;

    public Launcher(Iterable<Tool> tools, PrintWriter out, PrintWriter err) {
        this.tools = new TreeMap<>();
        for (Tool tool : tools) {
            Tool previous = this.tools.put(tool.name(), tool);
            if (previous != null) {
                throw new IllegalStateException("two tools named " + tool.name() + ": "
                        + previous.getClass().getName() + " and " + tool.getClass().getName());
            }
        }
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = new Launcher(ServiceLoader.load(Tool.class), out, err).run(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    public int run(String[] args) {
        if (args.length == 0) {
            err.println(PROGRAM + ": no tool given; usage: " + PROGRAM + " <tool> [options] ("
                    + PROGRAM + " --list shows the tools)");
            return ExitCodes.USAGE;
        }
        switch (args[0]) {
            case "--list":
                listTools();
                return ExitCodes.OK;
            case "--version":
                out.println(PROGRAM + " " + Version.get());
                return ExitCodes.OK;
            case "-h":
            case "--help":
                printGeneralHelp();
                return ExitCodes.OK;
            default:
                break;
        }
        Tool tool = tools.get(args[0]);
        if (tool == null) {
            err.println(PROGRAM + ": unknown tool '" + args[0] + "' (" + PROGRAM + " --list shows the tools)");
            return ExitCodes.USAGE;
        }
        return runTool(tool, Arrays.copyOfRange(args, 1, args.length));
    }

    private int runTool(Tool tool, String[] args) {
        String prefix = PROGRAM + " " + tool.name() + ": ";
        Options options = withHelp(tool.options());
        CommandLine cmd;
        try {
            // Help is honoured even when required options are missing.
            if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
                printToolHelp(tool, options);
                return ExitCodes.OK;
            }
            cmd = new DefaultParser().parse(options, args);
            if (!cmd.getArgList().isEmpty()) {
                throw new UsageError("unexpected argument '" + cmd.getArgList().get(0) + "'");
            }
        } catch (ParseException | UsageError e) {
            err.println(prefix + "usage error: " + e.getMessage() + " (see " + PROGRAM + " " + tool.name()
                    + " --help)");
            return ExitCodes.USAGE;
        }
        try {
            return tool.run(cmd, out);
        } catch (UsageError e) {
            err.println(prefix + "usage error: " + e.getMessage() + " (see " + PROGRAM + " " + tool.name()
                    + " --help)");
            return ExitCodes.USAGE;
        } catch (ToolFailure e) {
            LOG.debug("failure detail", e);
            err.println(prefix + "error: " + e.oneLine());
            return ExitCodes.FAILURE;
        } catch (InvalidPathException e) {
            // Only when the launcher script's locale fix is bypassed (java run directly under LANG=C).
            err.println(prefix + "error: " + e.getInput() + ": path not representable in this locale's charset "
                    + "(run with LC_ALL=C.UTF-8)");
            return ExitCodes.FAILURE;
        } catch (FileSystemException e) {
            // A file that cannot be read or written: the file and the reason, never the exception's class name.
            LOG.debug("file system failure", e);
            err.println(prefix + "error: " + FileErrors.oneLine(e).replace('\n', ' '));
            return ExitCodes.FAILURE;
        } catch (OutOfMemoryError e) {
            LOG.debug("out of memory", e);
            err.println(prefix + "error: not enough memory (Java heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB); an input is larger than this tool can hold, or give more memory (DEEPSTROKE_JAVA_OPTS=-Xmx...)");
            return ExitCodes.FAILURE;
        } catch (Exception e) {
            // Unexpected: still one line, the stack trace only at debug level.
            LOG.debug("unexpected failure", e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            err.println(prefix + "error: " + message.replace('\n', ' '));
            return ExitCodes.FAILURE;
        }
    }

    private static Options withHelp(Options toolOptions) {
        Options options = new Options();
        toolOptions.getOptions().forEach(options::addOption);
        options.addOption(Option.builder("h").longOpt("help").desc("show this help and exit").build());
        return options;
    }

    private void listTools() {
        int width = tools.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Tool tool : tools.values()) {
            out.printf("%-" + width + "s  %s%n", tool.name(), tool.summary());
        }
    }

    private void printGeneralHelp() {
        out.println("usage: " + PROGRAM + " <tool> [options]");
        out.println("       " + PROGRAM + " --list | --version | --help");
        out.println();
        out.println("DeepStroke " + Version.get() + ": NCCT ASPECTS platform tools. Tools:");
        listTools();
        out.println();
        out.println("'" + PROGRAM + " <tool> --help' describes a tool. Exit codes: 0 ok, 1 failure, 2 usage error.");
    }

    private void printToolHelp(Tool tool, Options options) {
        HelpFormatter formatter = new HelpFormatter();
        formatter.setWidth(110);
        formatter.setOptionComparator(null);
        StringWriter buffer = new StringWriter();
        formatter.printHelp(new PrintWriter(buffer), 110, PROGRAM + " " + tool.name() + " [options]",
                tool.summary(), options, 2, 4, "", true);
        out.print(buffer);
        out.flush();
    }

    /** The names of the tools this launcher knows, sorted. */
    public List<String> toolNames() {
        return new ArrayList<>(tools.keySet());
    }
}
