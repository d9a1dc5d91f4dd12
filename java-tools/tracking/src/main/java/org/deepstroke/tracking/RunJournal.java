package org.deepstroke.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The local journal of one run: {@code <spool>/<local run id>/journal.jsonl}, one JSON object per line, appended
 * and forced to disk one whole line at a time, plus a private copy of every logged artifact under
 * {@code artifacts/<seq>/<artifact dir>/<name>} (the training may overwrite or delete its own file later).
 * Every call on a {@link TrackedRun} is journaled here before it is sent, so the journal alone can rebuild the
 * run on any server ({@link RunDelivery}). The process writing a journal holds {@code .lock}; a sync skips
 * journals that are locked (their run is still going on).
 *
 * <p>Entries ({@code seq} counts from 1, {@code op} says what):
 * <pre>
 * {"seq":1,"op":"start","local_run_id":"…","experiment":"…","run_name":"…","start_time":ms,"tags":{…}}
 * {"seq":2,"op":"params","params":{…}}
 * {"seq":3,"op":"metrics","step":0,"timestamp":ms,"values":{"loss":0.5}}
 * {"seq":4,"op":"artifact","dir":"plots","name":"loss.png","copy":"artifacts/000004/plots/loss.png","sha256":"…","bytes":123}
 * {"seq":5,"op":"tags","tags":{…}}
 * {"seq":6,"op":"finish","status":"FINISHED","end_time":ms}
 * </pre>
 */
final class RunJournal implements AutoCloseable {

    static final String JOURNAL = "journal.jsonl";
    private static final String LOCK = ".lock";

    private final Path dir;
    private final List<ObjectNode> entries;
    /** Bytes of the journal file holding whole entries; anything after them is a torn write to cut off. */
    private long validBytes;
    private FileChannel lockChannel;
    private FileLock lock;

    private RunJournal(Path dir, List<ObjectNode> entries, long validBytes) {
        this.dir = dir;
        this.entries = entries;
        this.validBytes = validBytes;
    }

    /** A new journal for a new run (the folder must not exist yet), locked by this process. */
    static RunJournal create(Path spoolDir, String localRunId) throws IOException {
        Path dir = spoolDir.resolve(localRunId);
        Files.createDirectories(spoolDir);
        Files.createDirectory(dir);
        RunJournal journal = new RunJournal(dir, new ArrayList<>(), 0);
        if (!journal.tryLock()) {
            throw new IOException(dir + ": locked by another process");
        }
        return journal;
    }

    /** An existing journal, read; not locked (call {@link #tryLock()} before changing it). */
    static RunJournal open(Path dir) throws IOException {
        List<ObjectNode> entries = new ArrayList<>();
        long valid = read(dir.resolve(JOURNAL), entries);
        return new RunJournal(dir, entries, valid);
    }

    static boolean isJournal(Path dir) {
        return Files.isRegularFile(dir.resolve(JOURNAL));
    }

    /** Takes the journal's lock; false when another process (or another journal object here) holds it. */
    boolean tryLock() throws IOException {
        if (lock != null) {
            return true;
        }
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock taken = channel.tryLock();
            if (taken == null) {
                channel.close();
                return false;
            }
            lockChannel = channel;
            lock = taken;
            return true;
        } catch (OverlappingFileLockException e) {
            channel.close();
            return false;
        }
    }

    Path dir() {
        return dir;
    }

    List<ObjectNode> entries() {
        return entries;
    }

    long lastSeq() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).path("seq").asLong();
    }

    ObjectNode startEntry() {
        if (entries.isEmpty() || !"start".equals(entries.get(0).path("op").asText())) {
            throw new IllegalStateException(dir.resolve(JOURNAL) + ": does not begin with a start entry");
        }
        return entries.get(0);
    }

    boolean finished() {
        return !entries.isEmpty() && "finish".equals(entries.get(entries.size() - 1).path("op").asText());
    }

    /** A new entry of this kind with the next sequence number, to fill and {@link #append}. */
    ObjectNode newEntry(String op) {
        ObjectNode entry = MlflowRest.JSON.createObjectNode();
        entry.put("seq", lastSeq() + 1).put("op", op);
        return entry;
    }

    /** Appends one entry as one line in one write and forces it to disk before returning. */
    void append(ObjectNode entry) throws IOException {
        if (entry.path("seq").asLong() != lastSeq() + 1) {
            throw new IllegalStateException("journal entries must be appended in order");
        }
        byte[] line = (MlflowRest.JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            if (out.size() > validBytes) {
                out.truncate(validBytes); // a torn last line from a crash: never acknowledged, drop it
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
        validBytes += line.length;
        entries.add(entry);
    }

    /**
     * Copies a file to the journal's artifact folder for entry {@code seq} (atomically) and fills the entry's
     * copy, sha256 and size.
     */
    void copyArtifact(Path file, String artifactDir, ObjectNode entry) throws IOException {
        String name = file.getFileName().toString();
        String relative = String.format("artifacts/%06d/", entry.path("seq").asLong())
                + (artifactDir.isEmpty() ? "" : artifactDir + "/") + name;
        MessageDigest sha = sha256();
        long[] size = {0};
        AtomicFiles.write(dir.resolve(relative), out -> {
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                size[0] = in.transferTo(out);
            }
        });
        entry.put("dir", artifactDir).put("name", name).put("copy", relative)
                .put("sha256", HexFormat.of().formatHex(sha.digest())).put("bytes", size[0]);
    }

    Path artifactCopy(ObjectNode entry) {
        return dir.resolve(entry.path("copy").asText());
    }

    /** Reads what was delivered where: {@code delivery.json} (absent: nothing yet). */
    ObjectNode readDelivery() throws IOException {
        Path file = dir.resolve("delivery.json");
        if (!Files.exists(file)) {
            ObjectNode empty = MlflowRest.JSON.createObjectNode();
            empty.putObject("runs");
            return empty;
        }
        return (ObjectNode) MlflowRest.JSON.readTree(file.toFile());
    }

    void writeDelivery(ObjectNode delivery) throws IOException {
        AtomicFiles.writeString(dir.resolve("delivery.json"),
                MlflowRest.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(delivery) + "\n");
    }

    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.release();
            lockChannel.close();
            lock = null;
            lockChannel = null;
        }
    }

    /**
     * Reads every entry. A last line without its newline is a write cut short by a crash and is ignored (it was
     * never acknowledged to the caller); a bad line anywhere else is a damaged journal.
     */
    private static long read(Path file, List<ObjectNode> entries) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        long valid = 0;
        for (int i = 0; i < lines.length; i++) {
            boolean last = i == lines.length - 1;
            if (last) {
                break; // either "" after the final newline, or a torn write
            }
            valid += lines[i].getBytes(StandardCharsets.UTF_8).length + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MlflowRest.JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": line " + (i + 1) + " is not JSON (" + e.getOriginalMessage() + ")");
            }
            if (!(node instanceof ObjectNode object) || object.path("seq").asLong() != entries.size() + 1) {
                throw new IOException(file + ": line " + (i + 1) + " is not entry " + (entries.size() + 1));
            }
            entries.add(object);
        }
        return valid;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
