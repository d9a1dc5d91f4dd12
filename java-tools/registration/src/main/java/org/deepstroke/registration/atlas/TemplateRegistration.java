package org.deepstroke.registration.atlas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;

/**
 * Registers a moving CT template onto a fixed one with antsRegistration and names the transforms it writes
 * ({@code <prefix>0GenericAffine.mat}, {@code <prefix>1Warp.nii.gz}, {@code <prefix>1InverseWarp.nii.gz}).
 */
public final class TemplateRegistration {

    /** Generous: the fast preset takes ~2 min, ~5 min on a loaded machine. */
    static final Duration TIMEOUT = Duration.ofHours(2);

    private final Ants ants;
    private final RegistrationPreset preset;
    private final int threads;
    private final long seed;

    public TemplateRegistration(Ants ants, RegistrationPreset preset, int threads, long seed) {
        this.ants = ants;
        this.preset = preset;
        this.threads = threads;
        this.seed = seed;
    }

    /** The transforms of one run and how it was made. */
    public record Result(Path affine, Path warp, Path inverseWarp, Path warped, String commandLine,
            Duration elapsed) {

        /** antsApplyTransforms arguments mapping moving-space images onto the fixed grid (last listed, first applied). */
        public List<String> forwardTransforms() {
            return List.of("--transform", warp.toString(), "--transform", affine.toString());
        }
    }

    public Result run(Path fixed, Path moving, Path prefix, Path log) throws IOException, InterruptedException {
        return run(preset.stages(fixed, moving, seed), prefix, log);
    }

    /** Runs antsRegistration with {@code stages} (everything but the output) and checks what it wrote. */
    public Result run(List<String> stages, Path prefix, Path log) throws IOException, InterruptedException {
        Path warped = Path.of(prefix + "warped.nii.gz");
        List<String> args = new ArrayList<>(stages);
        args.addAll(List.of("--output", "[" + prefix + "," + warped + "]"));
        ExternalCommand command = ants.command("antsRegistration", args, threads, seed).log(log).timeout(TIMEOUT);
        ExternalCommand.Result result = command.run();
        Result transforms = new Result(Path.of(prefix + "0GenericAffine.mat"), Path.of(prefix + "1Warp.nii.gz"),
                Path.of(prefix + "1InverseWarp.nii.gz"), warped, command.commandLine(), result.elapsed());
        for (Path p : List.of(transforms.affine(), transforms.warp(), transforms.inverseWarp(), warped)) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("antsRegistration succeeded but did not write " + p + "; log " + log);
            }
        }
        return transforms;
    }
}
