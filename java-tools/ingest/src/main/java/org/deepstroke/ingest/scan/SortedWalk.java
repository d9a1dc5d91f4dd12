package org.deepstroke.ingest.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Everything below a folder that is not itself a folder, in the order that sorting all their paths gives, listed
 * lazily: one folder's entries are held at a time. {@code Files.walk(root).sorted()} held every path of the tree
 * (about 200 bytes each: 200 MB for a million-file export; issue 16 item 11). A folder's name sorts as name + "/",
 * which is what makes the per-folder order equal the full-path order ("a.x" before "a/b", as '.' < '/').
 * Symbolic links to folders are listed, not followed (as {@code Files.walk}); a folder that cannot be listed throws
 * {@link UncheckedIOException} (as {@code Files.walk}'s stream does).
 */
final class SortedWalk implements Iterator<Path> {

    private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
    private Path next;

    private SortedWalk(Path root) {
        stack.push(children(root));
    }

    /** The walk as a sequential stream; close it to end the walk early. */
    static Stream<Path> of(Path root) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new SortedWalk(root),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Iterator<Path> it = stack.peek();
            if (!it.hasNext()) {
                stack.pop();
                continue;
            }
            Path p = it.next();
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                stack.push(children(p));
            } else {
                next = p;
            }
        }
        return next != null;
    }

    @Override
    public Path next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Path p = next;
        next = null;
        return p;
    }

    private static Iterator<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> Map.entry(p.getFileName().toString()
                    + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""), p))
                    .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList().iterator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
