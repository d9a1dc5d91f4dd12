package org.deepstroke.core.cli;

import org.apache.commons.cli.Option;

/**
 * The options most tools share, spelled once: {@code --output-dir DIR}, {@code --threads N}, {@code --seed N}. Each
 * tool still says in its own words what the option means for it (the description), since "threads" are ANTs
 * threads in one tool and subjects in parallel in another.
 */
public final class CommonOptions {

    private CommonOptions() {
    }

    /** {@code --output-dir DIR}, required. */
    public static Option outputDir(String description) {
        return Option.builder().longOpt("output-dir").hasArg().argName("DIR").required().desc(description).build();
    }

    /** {@code --threads N}. */
    public static Option threads(String description) {
        return Option.builder().longOpt("threads").hasArg().argName("N").desc(description).build();
    }

    /** {@code --seed N}. */
    public static Option seed(String description) {
        return Option.builder().longOpt("seed").hasArg().argName("N").desc(description).build();
    }
}
