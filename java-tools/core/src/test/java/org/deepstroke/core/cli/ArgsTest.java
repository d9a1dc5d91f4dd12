package org.deepstroke.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

class ArgsTest {

    private static CommandLine parse(String... args) throws ParseException {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("seed").hasArg().build());
        o.addOption(Option.builder().longOpt("threads").hasArg().build());
        return new DefaultParser().parse(o, args);
    }

    @Test
    void longValueTakesSeedsBeyondIntAndFallsBackToTheDefault() throws ParseException {
        assertEquals(8_589_934_592L, Args.longValue(parse("--seed", " 8589934592 "), "seed", 1));
        assertEquals(7L, Args.longValue(parse(), "seed", 7));
    }

    @Test
    void badNumbersAreUsageErrorsNamingTheOption() throws ParseException {
        UsageError seed = assertThrows(UsageError.class, () -> Args.longValue(parse("--seed", "1e3"), "seed", 1));
        assertEquals("--seed expects a whole number, got '1e3'", seed.getMessage());
        UsageError threads = assertThrows(UsageError.class,
                () -> Args.intValue(parse("--threads", "8589934592"), "threads", 1));
        assertEquals("--threads expects a whole number, got '8589934592'", threads.getMessage());
    }
}
