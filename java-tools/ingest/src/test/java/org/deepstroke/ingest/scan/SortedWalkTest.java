package org.deepstroke.ingest.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lazy walk visits exactly what Files.walk(root).sorted() gave, in the same order, one folder at a time. */
class SortedWalkTest {

    @Test
    void sameFilesInTheSameOrderAsSortingEveryPath(@TempDir Path root) throws Exception {
        for (String f : List.of("a/b", "a.x", "a-b/c", "a/b.c/d", "B", "a/a", "z/y/x/w", "a/b0", ".hidden", "a b/c",
                "é/f")) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f);
        }
        Files.createDirectories(root.resolve("empty/folder"));
        Files.createSymbolicLink(root.resolve("link-to-a"), root.resolve("a")); // listed, not followed

        List<Path> expected;
        try (Stream<Path> s = Files.walk(root)) {
            expected = s.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        try (Stream<Path> s = SortedWalk.of(root)) {
            assertEquals(expected, s.toList());
        }
        assertEquals(12, expected.size());
    }

    @Test
    void aFolderThatCannotBeListedIsAnError(@TempDir Path root) {
        assertThrows(UncheckedIOException.class, () -> SortedWalk.of(root.resolve("missing")));
    }
}
