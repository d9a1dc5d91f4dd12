package org.deepstroke.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings one journaled run onto one tracking server, exactly once, however often it is called and wherever an
 * earlier attempt stopped. The rule:
 * <ol>
 *   <li>The server run is found by its tag {@value #LOCAL_RUN_ID_TAG} (set when the run is created, in the same
 *       transaction); only when no active run of the experiment carries it is one created. A run whose creation
 *       reached the server but whose answer was lost is therefore found, not created twice.</li>
 *   <li>{@code delivery.json} records, per server run id, the last journal entry the server acknowledged; only
 *       later entries are sent, in journal order.</li>
 *   <li>Sending an entry twice changes nothing (the case of an answer lost after the server applied it): metrics
 *       carry the timestamp recorded in the journal, and MLflow drops a metric equal in key, step, timestamp and
 *       value to a stored one; a param is re-sent with its same value (accepted); tags and artifacts
 *       overwrite with the same content; a dataset input is kept once per name and digest; a model version is
 *       looked up by run and source before one is created; terminating again sets the same status and end time.</li>
 * </ol>
 */
final class RunDelivery {

    static final String LOCAL_RUN_ID_TAG = "deepstroke.local_run_id";
    private static final int MAX_METRICS = 1000;
    private static final int MAX_PARAMS = 100;
    private static final int MAX_TAGS = 100;

    private final RunJournal journal;
    private final MlflowRest rest;
    private String runId;
    private String artifactUri;
    private long acked;
    /** 1 when {@link #bind} created the server run (its start entry went with the creation), until counted. */
    private int createdUncounted;

    RunDelivery(RunJournal journal, MlflowRest rest) {
        this.journal = journal;
        this.rest = rest;
    }

    /** The server run id once bound, else null. */
    String runId() {
        return runId;
    }

    long acked() {
        return acked;
    }

    /** Whether every journal entry is on the server. */
    boolean complete() {
        return runId != null && acked >= journal.lastSeq();
    }

    /** Finds or creates the server run of the journal (rule 1). */
    void bind() throws IOException {
        if (runId != null) {
            return;
        }
        ObjectNode start = journal.startEntry();
        String localId = start.path("local_run_id").asText();
        String experimentId = rest.experimentId(start.path("experiment").asText());
        Optional<JsonNode> found = rest.findRunByTag(experimentId, LOCAL_RUN_ID_TAG, localId);
        JsonNode info;
        long ackedNow;
        if (found.isPresent()) {
            info = found.get().path("info");
            ackedNow = journal.readDelivery().path("runs").path(info.path("run_id").asText()).path("acked_seq")
                    .asLong(0);
        } else {
            Map<String, String> tags = strings(start.path("tags"));
            tags.put(LOCAL_RUN_ID_TAG, localId);
            info = rest.createRun(experimentId, start.path("run_name").asText(), start.path("start_time").asLong(),
                    tags).path("info");
            ackedNow = start.path("seq").asLong();
            createdUncounted = 1;
        }
        runId = info.path("run_id").asText();
        artifactUri = info.path("artifact_uri").asText();
        acked = ackedNow;
        record(experimentId);
    }

    /**
     * Sends every entry after the last acknowledged one, acknowledging as it goes. Throws
     * {@link MlflowRest.Unavailable} when the server goes away (call again later) and {@link MlflowRest.Rejected}
     * when it refuses an entry (names the entry). Returns the number of entries delivered (the start entry
     * counts when this call created the run).
     */
    int push() throws IOException {
        bind();
        List<ObjectNode> entries = journal.entries();
        int sent = createdUncounted;
        createdUncounted = 0;
        int i = (int) acked; // entry seq s sits at index s - 1
        while (i < entries.size()) {
            ObjectNode entry = entries.get(i);
            String op = entry.path("op").asText();
            int next = i + 1;
            try {
                switch (op) {
                    case "start" -> sendTags(strings(entry.path("tags")));
                    case "tags" -> sendTags(strings(entry.path("tags")));
                    case "params" -> sendParams(strings(entry.path("params")));
                    case "metrics" -> next = sendMetrics(entries, i);
                    case "artifact" -> sendArtifact(entry);
                    case "inputs" -> rest.logInputs(runId, (ArrayNode) entry.path("datasets"));
                    case "register" -> register(entry);
                    case "finish" -> rest.terminate(runId, entry.path("status").asText(),
                            entry.path("end_time").asLong());
                    default -> throw new IOException(journal.dir().resolve(RunJournal.JOURNAL) + ": entry "
                            + entry.path("seq").asLong() + " has unknown op '" + op + "'");
                }
            } catch (MlflowRest.Rejected e) {
                throw new MlflowRest.Rejected(e.status, journal.dir().resolve(RunJournal.JOURNAL) + ": entry "
                        + entry.path("seq").asLong() + " (" + op + ") refused by " + rest.uri() + ": "
                        + e.getMessage());
            }
            sent += next - i;
            acked = entries.get(next - 1).path("seq").asLong();
            record(null);
            i = next;
        }
        return sent;
    }

    private void sendTags(Map<String, String> tags) throws IOException {
        for (List<Map.Entry<String, String>> chunk : chunks(tags, MAX_TAGS)) {
            ArrayNode list = MlflowRest.JSON.createArrayNode();
            chunk.forEach(e -> list.addObject().put("key", e.getKey()).put("value", e.getValue()));
            rest.logBatch(runId, MlflowRest.JSON.createArrayNode(), MlflowRest.JSON.createArrayNode(), list);
        }
    }

    private void sendParams(Map<String, String> params) throws IOException {
        for (List<Map.Entry<String, String>> chunk : chunks(params, MAX_PARAMS)) {
            ArrayNode list = MlflowRest.JSON.createArrayNode();
            chunk.forEach(e -> list.addObject().put("key", e.getKey()).put("value", e.getValue()));
            rest.logBatch(runId, MlflowRest.JSON.createArrayNode(), list, MlflowRest.JSON.createArrayNode());
        }
    }

    /**
     * Sends the run of consecutive metrics entries starting at {@code from} in as few log-batch requests as
     * MLflow allows; returns the index after the last entry sent. An entry larger than one request is split.
     */
    private int sendMetrics(List<ObjectNode> entries, int from) throws IOException {
        ArrayNode batch = MlflowRest.JSON.createArrayNode();
        int i = from;
        while (i < entries.size() && "metrics".equals(entries.get(i).path("op").asText())) {
            ObjectNode entry = entries.get(i);
            int size = entry.path("values").size();
            if (batch.size() > 0 && batch.size() + size > MAX_METRICS) {
                break;
            }
            long step = entry.path("step").asLong();
            long timestamp = entry.path("timestamp").asLong();
            Iterator<Map.Entry<String, JsonNode>> values = entry.path("values").fields();
            while (values.hasNext()) {
                Map.Entry<String, JsonNode> v = values.next();
                ObjectNode metric = batch.addObject().put("key", v.getKey()).put("timestamp", timestamp)
                        .put("step", step);
                metric.set("value", v.getValue()); // a number, or "NaN"/"Infinity"/"-Infinity" as MLflow's JSON takes
                if (batch.size() == MAX_METRICS) {
                    flush(batch);
                }
            }
            i++;
        }
        flush(batch);
        return i;
    }

    private void flush(ArrayNode metrics) throws IOException {
        if (metrics.isEmpty()) {
            return;
        }
        rest.logBatch(runId, metrics.deepCopy(), MlflowRest.JSON.createArrayNode(), MlflowRest.JSON.createArrayNode());
        metrics.removeAll();
    }

    private void sendArtifact(ObjectNode entry) throws IOException {
        java.nio.file.Path copy = journal.artifactCopy(entry);
        if (!Files.isRegularFile(copy)) {
            throw new MlflowRest.Rejected(0, copy + ": the journal's copy of artifact " + entry.path("name").asText()
                    + " is missing");
        }
        rest.uploadArtifact(artifactUri, copy, entry.path("dir").asText());
    }

    /**
     * Registers the run's artifact folder {@code entry.artifact_path} as a version of registered model
     * {@code entry.name} (created when absent), unless a version from this run and source exists; records the
     * version in delivery.json (runs.RUN.registered.NAME).
     */
    private void register(ObjectNode entry) throws IOException {
        String name = entry.path("name").asText();
        String path = entry.path("artifact_path").asText();
        String source = artifactUri.replaceAll("/+$", "") + (path.isEmpty() ? "" : "/" + path);
        rest.ensureRegisteredModel(name);
        Optional<String> existing = rest.findModelVersion(name, runId, source);
        String version = existing.isPresent() ? existing.get()
                : rest.createModelVersion(name, source, runId, strings(entry.path("tags")));
        ObjectNode delivery = journal.readDelivery();
        delivery.with("runs").with(runId).with("registered").put(name, version);
        journal.writeDelivery(delivery);
    }

    /** Writes delivery.json: the server run and the last acknowledged entry (rule 2). */
    private void record(String experimentId) throws IOException {
        ObjectNode delivery = journal.readDelivery();
        ObjectNode runs = delivery.with("runs");
        ObjectNode run = runs.with(runId);
        run.put("tracking_uri", rest.uri());
        if (experimentId != null) {
            run.put("experiment_id", experimentId);
        }
        run.put("artifact_uri", artifactUri).put("acked_seq", acked).put("journal_entries", journal.lastSeq());
        journal.writeDelivery(delivery);
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<List<Map.Entry<String, String>>> chunks(Map<String, String> map, int size) {
        List<List<Map.Entry<String, String>>> chunks = new ArrayList<>();
        List<Map.Entry<String, String>> current = new ArrayList<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            current.add(e);
            if (current.size() == size) {
                chunks.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }
}
