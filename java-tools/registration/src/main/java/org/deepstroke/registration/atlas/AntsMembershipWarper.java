package org.deepstroke.registration.atlas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.registration.Ants;

/**
 * Carries atlas-space memberships onto the target grid through the registration's transforms with
 * antsApplyTransforms. Linear interpolation keeps them memberships in [0, 1] (partial voxels at region borders),
 * which the fusion then compares; nearest neighbour would throw that information away before the argmax.
 */
public final class AntsMembershipWarper {

    private final Ants ants;
    private final Path reference;
    private final List<String> transforms;
    private final int threads;
    private final long seed;
    private final Path log;

    /** {@code transforms}: antsApplyTransforms {@code --transform} arguments, last listed applied first. */
    public AntsMembershipWarper(Ants ants, Path reference, List<String> transforms, int threads, long seed,
            Path log) {
        this.ants = ants;
        this.reference = reference;
        this.transforms = List.copyOf(transforms);
        this.threads = threads;
        this.seed = seed;
        this.log = log;
    }

    /** The membership in {@code maskFile} on the reference grid; {@code scratch} holds the intermediate file. */
    public ImageVolume warp(Path maskFile, Path scratch, String name) throws IOException, InterruptedException {
        Path out = scratch.resolve("warped_" + name + ".nii.gz");
        List<String> args = new ArrayList<>(List.of("--dimensionality", "3", "--float", "1", "--verbose", "1",
                "--input", maskFile.toString(), "--reference-image", reference.toString(),
                "--output", out.toString(), "--interpolation", "Linear", "--default-value", "0"));
        args.addAll(transforms);
        ants.command("antsApplyTransforms", args, threads, seed).log(log).timeout(Duration.ofMinutes(20)).run();
        ImageVolume warped = NiftiReader.read(out);
        Files.deleteIfExists(out);
        return warped;
    }
}
