package org.deepstroke.curation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.TsvTable;

/**
 * The curation input: one row per subject with the paths of its seven images. Relative paths are taken relative to
 * the table's folder (so a table written next to its images stays valid when the folder moves).
 */
public final class SubjectTable {

    /** The columns {@code curate-dataset} needs, in the order of the contract. */
    public static final List<String> COLUMNS = List.of("subject", "ct", "labels", "brain_mask", "stripped_ct",
            "registered_ct", "registered_labels");

    /** Pseudonyms only: file names are built from them, and no identifier may leak into the dataset. */
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** One subject's inputs. */
    public record Subject(String id, Path ct, Path labels, Path brainMask, Path strippedCt, Path registeredCt,
            Path registeredLabels) {
    }

    private SubjectTable() {
    }

    /**
     * Reads and checks the table: every column present, unique subject ids, every file existing.
     *
     * @throws ToolFailure naming the table (or the missing image) and the reason
     */
    public static List<Subject> read(Path table) {
        TsvTable.Table t = TsvTable.read(table, "subject");
        if (t.header().isEmpty()) {
            throw new ToolFailure(table, "empty subject table (expected a header: " + String.join(", ", COLUMNS) + ")");
        }
        t.require(COLUMNS.toArray(String[]::new));
        Path base = table.toAbsolutePath().getParent();
        List<Subject> subjects = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TsvTable.Row row : t.rows()) {
            String id = row.get(COLUMNS.get(0));
            if (!SUBJECT.matcher(id).matches()) {
                throw t.failure(row, "subject '" + id + "' is not a pseudonym usable as a file name");
            }
            if (!seen.add(id)) {
                throw new ToolFailure(table, "subject " + id + " appears twice");
            }
            Path[] p = new Path[6];
            for (int i = 1; i < COLUMNS.size(); i++) {
                String value = row.get(COLUMNS.get(i));
                if (value.isEmpty()) {
                    throw new ToolFailure(table, "subject " + id + ": empty '" + COLUMNS.get(i) + "'");
                }
                Path file = base.resolve(value).normalize();
                if (!Files.isRegularFile(file)) {
                    throw new ToolFailure(file, "no such file (" + COLUMNS.get(i) + " of subject " + id + " in "
                            + table + ")");
                }
                p[i - 1] = file;
            }
            subjects.add(new Subject(id, p[0], p[1], p[2], p[3], p[4], p[5]));
        }
        if (subjects.isEmpty()) {
            throw new ToolFailure(table, "no subjects listed");
        }
        return subjects;
    }
}
