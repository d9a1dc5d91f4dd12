package org.deepstroke.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalCommandTest {

    @TempDir
    Path dir;

    @Test
    void successKeepsTheLogAndEnvironment() throws Exception {
        Path log = dir.resolve("x.log");
        ExternalCommand.Result r = ExternalCommand.of("sh", "-c", "echo threads=$ITK_THREADS; echo err >&2")
                .env("ITK_THREADS", "2").log(log).run();
        assertEquals("threads=2\nerr\n", r.log());
        assertEquals("threads=2\nerr\n", Files.readString(log));
    }

    @Test
    void nonzeroExitGivesOneLineWithCommandAndLogTail() {
        Path log = dir.resolve("fail.log");
        ExternalCommand.CommandFailedException e = assertThrows(ExternalCommand.CommandFailedException.class,
                () -> ExternalCommand.of("sh", "-c", "echo first; echo 'Exception: bad metric' >&2; exit 3")
                        .log(log).run());
        assertEquals(3, e.exitCode());
        assertEquals("sh failed (exit 3); command: sh -c 'echo first; echo '\\''Exception: bad metric'\\'' >&2; exit 3'"
                + "; log " + log + "; last lines: first | Exception: bad metric", e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void timeoutEndsTheProcess() {
        long start = System.nanoTime();
        ExternalCommand.CommandFailedException e = assertThrows(ExternalCommand.CommandFailedException.class,
                () -> ExternalCommand.of("sleep", "30").timeout(Duration.ofMillis(300)).run());
        assertTrue(e.getMessage().startsWith("sleep timed out after 0 s; command: sleep 30"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void missingProgramIsReportedClearly() {
        ExternalCommand.CommandFailedException e = assertThrows(ExternalCommand.CommandFailedException.class,
                () -> ExternalCommand.of("/nonexistent/antsRegistration", "--version").run());
        assertTrue(e.getMessage().startsWith("/nonexistent/antsRegistration could not be started"), e.getMessage());
    }
}
