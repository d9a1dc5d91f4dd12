package org.deepstroke.registration.register;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;

/**
 * One native CT onto the atlas: the moving CT is first resampled to the working spacing (a 0.45 x 0.45 x 5 mm scan
 * has ~20x the voxels of a 2 mm one), the fixed image cropped to its brain box, then antsRegistration runs centre of
 * mass -> rigid (MI) -> affine (MI) -> SyN (CC). Transforms are in world coordinates, so they apply to the
 * full-resolution CT and the full atlas grid alike. Both the anti-aliasing of that resampling and a tight crop cost
 * label Dice on the synthetic cohort (0.827 -> 0.873 for the quick preset without smoothing and with a 20 mm margin
 * instead of 6 mm): the CC metric wants grey/white contrast unblurred, and a box that ends at the brain's edge
 * leaves the coarse levels (8-16 mm voxels) no background around the brain.
 */
public final class NativeRegistration {

    /** Where a run's files are and how long its parts took. */
    public record Result(Path affine, Path warp, Path inverseWarp, Path workingMoving, Path croppedFixed,
            String commandLine, Duration resampling, Duration registration) {
    }

    private final Ants ants;
    private final RegistrationParameters p;
    private final int threads;
    private final long seed;
    private final Duration timeout;

    public NativeRegistration(Ants ants, RegistrationParameters parameters, int threads, long seed, Duration timeout) {
        this.ants = ants;
        this.p = parameters;
        this.threads = threads;
        this.seed = seed;
        this.timeout = timeout;
    }

    /**
     * Registers {@code moving} onto {@code fixed}, writing into {@code work} (transforms named with ANTs' prefix
     * convention) and appending every program's output to {@code log}.
     */
    public Result run(Path fixed, Path moving, Path fixedRegion, Path work, Path log)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path workingMoving = moving;
        double spacing = p.number("working_spacing_mm");
        if (spacing > 0) {
            workingMoving = work.resolve("moving_working.nii.gz");
            String s = fmt(spacing);
            ants.command("ResampleImageBySpacing", List.of("3", moving.toString(), workingMoving.toString(), s, s, s,
                    p.get("working_smoothing")), threads, seed).log(log).timeout(timeout).run();
        }
        Path croppedFixed = fixed;
        double margin = p.number("fixed_crop_margin_mm");
        if (margin >= 0) {
            ImageVolume f = NiftiReader.read(fixed);
            ImageVolume region = fixedRegion != null ? NiftiReader.read(fixedRegion) : f;
            croppedFixed = work.resolve("fixed_cropped.nii.gz");
            NiftiWriter.write(FixedCrop.crop(f, region, margin), croppedFixed, NiftiDatatype.FLOAT32);
        }
        long t1 = System.nanoTime();
        Path prefix = work.resolve("reg_");
        ExternalCommand command = ants.command("antsRegistration", arguments(croppedFixed, workingMoving, prefix),
                threads, seed).log(log).timeout(timeout);
        command.run();
        long t2 = System.nanoTime();
        Result r = new Result(Path.of(prefix + "0GenericAffine.mat"), Path.of(prefix + "1Warp.nii.gz"),
                Path.of(prefix + "1InverseWarp.nii.gz"), workingMoving, croppedFixed, command.commandLine(),
                Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
        for (Path f : List.of(r.affine(), r.warp(), r.inverseWarp())) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("antsRegistration exited 0 but did not write " + f + "; command: "
                        + command.commandLine() + "; log " + log);
            }
        }
        return r;
    }

    /** The antsRegistration arguments; {@code ,1} in the initial transform = align the centres of mass. */
    List<String> arguments(Path fixed, Path moving, Path prefix) {
        String pair = fixed + "," + moving;
        String convergence = "," + p.get("convergence_threshold") + "," + p.get("convergence_window") + "]";
        List<String> a = new ArrayList<>(List.of("--dimensionality", "3", "--float", "1", "--verbose", "1",
                "--random-seed", Long.toString(seed), "--interpolation", "Linear",
                "--use-histogram-matching", "0", "--winsorize-image-intensities", "[0.005,0.995]",
                "--initial-moving-transform", "[" + pair + ",1]"));
        for (String linear : new String[] {"Rigid", "Affine"}) {
            a.addAll(List.of("--transform", linear + "[" + p.get("linear_gradient_step") + "]",
                    "--metric", "MI[" + pair + ",1," + p.get("mi_bins") + ",Regular," + p.get("mi_sampling") + "]",
                    "--convergence", "[" + p.get("linear_iterations") + convergence,
                    "--shrink-factors", p.get("linear_shrink_factors"),
                    "--smoothing-sigmas", p.get("linear_smoothing_sigmas")));
        }
        a.addAll(List.of("--transform", "SyN[" + p.get("syn_gradient_step") + "," + p.get("syn_update_variance") + ","
                        + p.get("syn_total_variance") + "]",
                "--metric", "CC[" + pair + ",1," + p.get("cc_radius") + "]",
                "--convergence", "[" + p.get("syn_iterations") + convergence,
                "--shrink-factors", p.get("syn_shrink_factors"),
                "--smoothing-sigmas", p.get("syn_smoothing_sigmas"),
                "--output", prefix.toString()));
        return a;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
    }
}
