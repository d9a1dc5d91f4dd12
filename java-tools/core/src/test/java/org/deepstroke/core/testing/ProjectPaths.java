package org.deepstroke.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the project (its root, bin/, .tools/) and the shared reference data (../shared/data). Missing
 * prerequisites fail the test with the command that installs them: nothing is skipped silently.
 */
public final class ProjectPaths {

    private ProjectPaths() {
    }

    /** The project root: the folder holding main.nf and java-tools/. */
    public static Path root() {
        String property = System.getProperty("deepstroke.root");
        Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("java-tools")) && Files.isRegularFile(p.resolve("Makefile"))) {
                return p;
            }
        }
        return fail("cannot find the project root above " + start);
    }

    /** ../shared/data next to the project: the public reference data tests read (never copied into the repo). */
    public static Path sharedData() {
        Path data = root().resolve("../shared/data").normalize();
        if (!Files.isDirectory(data)) {
            fail("reference data missing: expected " + data + " (the shared/ folder beside the checkout)");
        }
        return data;
    }

    public static Path sharedFile(String relative) {
        Path file = sharedData().resolve(relative);
        if (!Files.exists(file)) {
            fail("reference file missing: " + file);
        }
        return file;
    }

    /** A program installed by {@code make setup} under .tools/, or a failure naming the setup step. */
    public static Path tool(String relative) {
        Path file = root().resolve(".tools").resolve(relative);
        if (!Files.exists(file)) {
            fail(file + " is missing: run `make setup` first");
        }
        return file;
    }

    /**
     * The reference DICOM-to-NIfTI converter: dcm2niix from the pinned PyPI wheel in the project venv
     * (bin/setup/requirements.txt). Never one from PATH: the tests' expectations are measured on this version.
     */
    public static Path dcm2niix() {
        return tool("venv/bin/dcm2niix");
    }

    /** The Python interpreter of the project venv (nibabel, mlflow). */
    public static Path venvPython() {
        return tool("venv/bin/python");
    }
}
