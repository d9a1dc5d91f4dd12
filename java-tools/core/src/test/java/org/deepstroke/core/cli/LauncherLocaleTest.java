package org.deepstroke.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 9: under LANG=C (no UTF-8 locale: cron, minimal containers) Java cannot even form a non-ASCII path
 * (InvalidPathException before any tool runs). bin/deepstroke switches such a locale to C.UTF-8. Runs the real
 * launcher script on this module's classes (jarred here, as the script takes jars) with LANG=C and LC_ALL unset.
 */
class LauncherLocaleTest {

    @TempDir
    Path dir;

    @Test
    void nonAsciiPathsWorkUnderLangC() throws Exception {
        Path base = Files.createDirectories(dir.resolve("lib/base"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) && p.endsWith("classes") && p.getParent().getParent().endsWith("core")) {
                jar(p, base.resolve("core-classes.jar"));
            } else if (p.toString().endsWith(".jar")) {
                Files.createSymbolicLink(base.resolve(p.getFileName()), p);
            }
        }
        Path folder = Files.createDirectories(dir.resolve("Ünïcode-étude"));
        Path ct = folder.resolve("tête.nii");
        NiftiWriter.write(new ImageVolume(4, 3, 2, new float[24], Affine.identity(), 1), ct, NiftiDatatype.INT16);
        ProcessBuilder pb = new ProcessBuilder("bash", ProjectPaths.root().resolve("bin/deepstroke").toString(),
                "nifti-info", "-i", ct.toString()).redirectErrorStream(true);
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_CTYPE");
        pb.environment().put("LANG", "C");
        pb.environment().put("DEEPSTROKE_LIB", dir.resolve("lib").toString());
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("\"file\" : \"tête.nii\"") || output.contains("\"file\": \"tête.nii\""), output);
        assertTrue(output.contains("[ 4, 3, 2 ]") || output.contains("[4,3,2]"), output);
    }

    private static void jar(Path classes, Path jar) throws Exception {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }
}
