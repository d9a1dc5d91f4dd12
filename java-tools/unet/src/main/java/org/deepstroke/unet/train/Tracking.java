package org.deepstroke.unet.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** Opens the training run's tracking sink. */
public final class Tracking {

    private Tracking() {
    }

    public static TrackingSink open(String trackingUri, String experiment, String runName, Map<String, String> tags,
            Path spoolDir, PrintStream log) {
        return TrackingSink.NONE;
    }
}
