package org.deepstroke.tracking.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.tracking.SpoolSync;

/** {@code deepstroke mlflow-sync}: pushes journaled (spooled) runs to a tracking server, exactly once. */
public final class MlflowSyncTool implements Tool {

    @Override
    public String name() {
        return "mlflow-sync";
    }

    @Override
    public String summary() {
        return "Push runs journaled while the MLflow server was away to a server (idempotent: run it as often as you like)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("spool").hasArg().argName("DIR").required()
                        .desc("a spool folder (holding one folder per run) or one run's folder; repeatable").build())
                .addOption(Option.builder().longOpt("tracking-uri").hasArg().argName("URI").required()
                        .desc("the MLflow server, e.g. http://127.0.0.1:5000 (started with --serve-artifacts)")
                        .build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        String uri = cmd.getOptionValue("tracking-uri").strip();
        if (!uri.startsWith("http://") && !uri.startsWith("https://")) {
            throw new UsageError("--tracking-uri must be an http(s) URI of an MLflow server, got '" + uri + "'");
        }
        List<Path> journals = new ArrayList<>();
        for (String spool : cmd.getOptionValues("spool")) {
            Path folder = Path.of(spool);
            if (java.nio.file.Files.exists(folder) && !java.nio.file.Files.isDirectory(folder)) {
                throw new UsageError("--spool " + spool + ": is a file, not a spool folder");
            }
            try {
                journals.addAll(SpoolSync.journals(folder));
            } catch (java.io.IOException e) {
                throw new ToolFailure(folder, "no such spool folder");
            }
        }
        List<SpoolSync.Outcome> outcomes = new SpoolSync(uri).sync(journals);
        out.println("local_run_id\trun_id\tentries_sent\tstate\tjournal");
        int failed = 0;
        for (SpoolSync.Outcome o : outcomes) {
            out.println(o.localRunId() + "\t" + o.serverRunId() + "\t" + o.entriesSent() + "\t" + o.state() + "\t"
                    + o.journal());
            if (!o.message().isEmpty()) {
                System.err.println("mlflow-sync: " + o.state() + ": " + o.message());
            }
            if (!List.of("complete", "in-use", "empty").contains(o.state())) {
                failed++;
            }
        }
        out.flush();
        long complete = outcomes.stream().filter(o -> o.state().equals("complete")).count();
        System.err.println("mlflow-sync: " + complete + " of " + outcomes.size() + " runs complete on " + uri);
        if (failed > 0) {
            throw new ToolFailure(failed + " of " + outcomes.size() + " runs not delivered (see above); run "
                    + "mlflow-sync again once the server answers");
        }
        return ExitCodes.OK;
    }
}
