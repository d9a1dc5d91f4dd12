package org.deepstroke.registration.register;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;

/**
 * antsApplyTransforms for one image: transforms in ANTs order (the last listed is applied first to the reference's
 * points), each passed verbatim ({@code path} or {@code [path,1]}). The output appears atomically: ANTs writes a
 * hidden temporary beside it, renamed when complete.
 */
public final class AntsApply {

    /** How values between voxels are found; {@code LABEL} is ANTs' GenericLabel (no blending of ids). */
    public enum Interpolation {
        LINEAR("Linear"), NEAREST("NearestNeighbor"), LABEL("GenericLabel");

        private final String ants;

        Interpolation(String ants) {
            this.ants = ants;
        }

        public String ants() {
            return ants;
        }

        public static Interpolation parse(String value) {
            for (Interpolation i : values()) {
                if (i.name().equalsIgnoreCase(value.strip())) {
                    return i;
                }
            }
            throw new UsageError("--interpolation must be linear, nearest or label, not '" + value + "'");
        }
    }

    private final Ants ants;
    private final int threads;
    private Duration timeout = Duration.ofMinutes(30);
    private Path log;

    public AntsApply(Ants ants, int threads) {
        this.ants = ants;
        this.threads = threads;
    }

    public AntsApply timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    /** Where antsApplyTransforms' output goes (appended); none: a temporary log, kept only on failure. */
    public AntsApply log(Path value) {
        this.log = value;
        return this;
    }

    /** The files of ANTs transform specs ({@code file}, {@code [file,1]}; {@code identity} has none). */
    public static List<Path> transformFiles(List<String> transforms) {
        List<Path> files = new java.util.ArrayList<>();
        for (String t : transforms) {
            if (!t.equalsIgnoreCase("identity")) {
                files.add(Path.of(t.startsWith("[") ? t.substring(1, t.lastIndexOf(',') > 0 ? t.lastIndexOf(',')
                        : t.length() - 1) : t));
            }
        }
        return files;
    }

    /**
     * Maps {@code input} onto {@code reference}'s grid through {@code transforms}. {@code outputType} is ANTs'
     * {@code -u} value (e.g. {@code uchar}) or null for ANTs' default (float).
     */
    public void apply(Path input, Path reference, Path output, Interpolation interpolation, List<String> transforms,
            String outputType) throws IOException, InterruptedException {
        for (Path file : transformFiles(transforms)) {
            if (!Files.isRegularFile(file)) {
                throw new ToolFailure(file, "transform not found");
            }
        }
        Path target = output.toAbsolutePath();
        Files.createDirectories(target.getParent());
        String name = target.getFileName().toString();
        String extension = name.endsWith(".nii.gz") ? ".nii.gz" : name.endsWith(".nii") ? ".nii" : null;
        if (extension == null) {
            throw new UsageError("output must be a .nii or .nii.gz file: " + output);
        }
        Path temp = target.resolveSibling("." + name.substring(0, name.length() - extension.length()) + ".tmp-"
                + ProcessHandle.current().pid() + extension);
        List<String> args = new ArrayList<>(List.of("--dimensionality", "3", "--input", input.toString(),
                "--reference-image", reference.toString(), "--output", temp.toString(),
                "--interpolation", interpolation.ants(), "--verbose", "0"));
        if (outputType != null) {
            args.addAll(List.of("--output-data-type", outputType.toLowerCase(Locale.ROOT)));
        }
        for (String t : transforms) {
            args.addAll(List.of("--transform", t));
        }
        try {
            ExternalCommand command = ants.command("antsApplyTransforms", args, threads, 1).timeout(timeout);
            if (log != null) {
                command.log(log);
            }
            command.run();
            if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (ExternalCommand.CommandFailedException e) {
            throw new ToolFailure(input, "antsApplyTransforms failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
