package org.deepstroke.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ANTs through ProcessBuilder on the shared 2 mm CT template. */
class AntsTest {

    @TempDir
    Path dir;

    @Test
    void versionIsReported() throws Exception {
        Ants ants = Ants.locate();
        String version = ants.version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
        String raw = ExternalCommand.of(ants.binDir().resolve("antsRegistration").toString(), "--version").run().log();
        assertTrue(raw.contains(version), raw);
    }

    @Test
    void rigidRegistrationRecoversAKnownShift() throws Exception {
        Path fixed = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        // The same image placed 6 mm right, 4 mm posterior, 2 mm superior (RAS) of the fixed one.
        ImageVolume template = NiftiReader.read(fixed);
        Path moving = dir.resolve("moving.nii.gz");
        NiftiWriter.write(new ImageVolume(template.nx(), template.ny(), template.nz(), template.data(),
                template.voxelToWorld().translate(6, -4, 2), 1), moving, NiftiDatatype.FLOAT32);

        Ants ants = Ants.locate();
        Path log = dir.resolve("ants.log");
        ExternalCommand.Result result = ants.command("antsRegistration", List.of("-d", "3", "--float", "1",
                "-o", "[" + dir.resolve("reg_") + "," + dir.resolve("reg_warped.nii.gz") + "]",
                "-r", "[" + fixed + "," + moving + ",1]",
                "-t", "Translation[0.5]", "-m", "MeanSquares[" + fixed + "," + moving + ",1]",
                "-c", "[30x20,1e-7,5]", "-s", "1x0vox", "-f", "2x1"), 2, 42)
                .log(log).timeout(Duration.ofMinutes(5)).run();
        assertTrue(Files.size(dir.resolve("reg_warped.nii.gz")) > 0);

        String info = ants.command("antsTransformInfo", List.of(dir.resolve("reg_0GenericAffine.mat").toString()), 1, 42)
                .run().log();
        double[] translation = vector(info, "Translation");
        // ITK works in LPS: the RAS shift (6, -4, 2) is (-6, 4, 2) there.
        assertEquals(-6, translation[0], 0.3, info);
        assertEquals(4, translation[1], 0.3, info);
        assertEquals(2, translation[2], 0.3, info);
        assertTrue(result.elapsed().toSeconds() < 300);
    }

    @Test
    void failureNamesTheCommandAndTheLogTail() {
        Path fixed = ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        Path absent = dir.resolve("absent.nii.gz");
        ExternalCommand command = Ants.locate().command("antsRegistration", List.of("-d", "3",
                "-o", dir.resolve("x_").toString(), "-t", "Rigid[0.1]", "-m", "MI[" + fixed + "," + absent + ",1,32]",
                "-c", "10", "-s", "0vox", "-f", "1"), 1, 1).log(dir.resolve("fail.log"));
        ExternalCommand.CommandFailedException e = assertThrows(ExternalCommand.CommandFailedException.class, command::run);
        assertTrue(e.getMessage().startsWith("antsRegistration failed (exit "), e.getMessage());
        assertTrue(e.getMessage().contains("command: " + command.commandLine()), e.getMessage());
        assertTrue(e.getMessage().contains(absent.toString()));
        assertTrue(e.getMessage().contains("; last lines: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    static double[] vector(String text, String name) {
        Matcher m = Pattern.compile(name + ":\\s*\\[([^\\]]+)\\]").matcher(text);
        assertTrue(m.find(), "no " + name + " in:\n" + text);
        String[] parts = m.group(1).split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Double.parseDouble(parts[i].trim());
        }
        return v;
    }
}
