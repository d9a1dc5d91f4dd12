package org.deepstroke.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deepstroke.core.cli.UsageError;

/**
 * The one check every tool makes of its output paths before it reads or writes anything: an output may not be
 * one of the inputs (also through a symbolic or hard link), nor another output of the same run, nor lie inside an
 * input folder (a DICOM folder given as input, a file-set root), nor sit under a regular file; a NIfTI output must
 * be named {@code .nii} or {@code .nii.gz}. Each refusal is a {@link UsageError} (exit 2, one line) naming the
 * option and the file. Found by hostile-input testing (issue 16): {@code skull-strip -i X --mask X} overwrote the CT,
 * {@code dicom-to-nifti --dicom D -o D/IM000.nii} a source DICOM, {@code -o a.nii.gz --sidecar a.nii.gz} one of
 * its own outputs, all with exit 0.
 */
public final class OutputGuard {

    private record Named(String option, Path path, Set<String> writable) {
        Named(String option, Path path) {
            this(option, path, Set.of());
        }

        String label() {
            return "--" + option + " " + path;
        }

        /** Whether {@code canonical} lies in this input folder outside its writable sub-folders. */
        boolean holds(Path canonical) {
            Path root = canonical(path);
            return canonical.startsWith(root) && (canonical.equals(root)
                    || !writable.contains(root.relativize(canonical).getName(0).toString()));
        }
    }

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> folders = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();
    private final List<Named> niftiOutputs = new ArrayList<>();

    private OutputGuard() {
    }

    public static OutputGuard create() {
        return new OutputGuard();
    }

    /** An input file (null is ignored). */
    public OutputGuard input(String option, Path file) {
        if (file != null) {
            inputs.add(new Named(option, file));
        }
        return this;
    }

    public OutputGuard inputs(String option, Collection<Path> files) {
        files.forEach(f -> input(option, f));
        return this;
    }

    /** An input folder no output may be written into (DICOM folders, file-set roots; null is ignored). */
    public OutputGuard inputFolder(String option, Path folder) {
        if (folder != null) {
            folders.add(new Named(option, folder));
        }
        return this;
    }

    /**
     * An input folder outputs may go into only under the named sub-folders (a results folder whose reports/ the
     * report tool writes; null is ignored).
     */
    public OutputGuard inputFolder(String option, Path folder, Set<String> writableSubfolders) {
        if (folder != null) {
            folders.add(new Named(option, folder, Set.copyOf(writableSubfolders)));
        }
        return this;
    }

    /** An output file (null is ignored). */
    public OutputGuard output(String option, Path file) {
        if (file != null) {
            outputs.add(new Named(option, file));
        }
        return this;
    }

    /** An output NIfTI volume: as {@link #output}, and its name must end in .nii or .nii.gz. */
    public OutputGuard niftiOutput(String option, Path file) {
        if (file != null) {
            output(option, file);
            niftiOutputs.add(new Named(option, file));
        }
        return this;
    }

    /** An output folder (the tool writes files into it): may not be an input folder nor lie inside one. */
    public OutputGuard outputFolder(String option, Path folder) {
        if (folder != null) {
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new UsageError("--" + option + " " + folder + ": exists and is not a folder");
            }
            parentMustBeFolder(new Named(option, folder), folder);
            Path canonical = canonical(folder);
            for (Named in : folders) {
                if (in.holds(canonical)) {
                    throw new UsageError(new Named(option, folder).label() + ": lies inside the input folder "
                            + in.label() + " (outputs are never written into inputs" + writableHint(in) + ")");
                }
            }
        }
        return this;
    }

    /** Throws a {@link UsageError} at the first conflict. */
    public void check() {
        for (Named n : niftiOutputs) {
            String name = n.path().getFileName() == null ? "" : n.path().getFileName().toString()
                    .toLowerCase(Locale.ROOT);
            if (!name.endsWith(".nii") && !name.endsWith(".nii.gz")) {
                throw new UsageError(n.label() + ": a NIfTI output must be named .nii or .nii.gz");
            }
        }
        List<Path> seen = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Named out = outputs.get(i);
            if (Files.isDirectory(out.path())) {
                throw new UsageError(out.label() + ": is a folder, not a file");
            }
            parentMustBeFolder(out, out.path());
            Path canonical = canonical(out.path());
            for (Named in : inputs) {
                if (canonical.equals(canonical(in.path())) || sameFile(out.path(), in.path())) {
                    throw new UsageError(out.label() + ": is the input " + in.label() + " (would overwrite it)");
                }
            }
            for (Named in : folders) {
                if (in.holds(canonical)) {
                    throw new UsageError(out.label() + ": lies inside the input folder " + in.label()
                            + " (outputs are never written into inputs" + writableHint(in) + ")");
                }
            }
            for (int j = 0; j < i; j++) {
                if (canonical.equals(seen.get(j)) || sameFile(out.path(), outputs.get(j).path())) {
                    throw new UsageError(out.label() + ": is also " + outputs.get(j).label()
                            + " (one output would overwrite the other)");
                }
            }
            seen.add(canonical);
        }
    }

    private static String writableHint(Named in) {
        return in.writable().isEmpty() ? "" : "; its " + String.join(", ", new java.util.TreeSet<>(in.writable()))
                + " sub-folder may be written";
    }

    /** The nearest existing ancestor must be a folder (else createDirectories fails with a bare exception). */
    private static void parentMustBeFolder(Named n, Path file) {
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UsageError(n.label() + ": cannot be written, " + p + " is a file, not a folder");
                }
                return;
            }
        }
    }

    /** The real path of the nearest existing ancestor joined with the rest (links resolved, . and .. removed). */
    static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
