package org.deepstroke.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.testing.HostileInputs;
import org.deepstroke.core.testing.InProcessTool;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 against core's tools (nifti-info, nifti-convert, validate-params): outputs never overwrite inputs or
 * each other, NaN/zero/negative geometry and allocation bombs are refused at read time naming the file, file
 * system failures name the output (never a temporary file or an exception class), params files with syntax errors
 * or duplicate keys are refused naming the file; and a fuzz corpus of broken NIfTI files keeps the failure contract.
 */
class NiftiToolsContractTest {

    @TempDir
    static Path dir;
    static Path valid;
    static byte[] validBytes;

    @BeforeAll
    static void prepare() throws Exception {
        float[] data = new float[24 * 20 * 16];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 37) % 400 - 100;
        }
        valid = dir.resolve("valid.nii");
        NiftiWriter.write(new ImageVolume(24, 20, 16, data, Affine.diagonal(0.9, 0.9, 2.5), 1), valid,
                NiftiDatatype.INT16);
        validBytes = Files.readAllBytes(valid);
    }

    static Path patched(String name, java.util.function.Consumer<ByteBuffer> patch) throws Exception {
        byte[] b = validBytes.clone();
        patch.accept(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    static Path gzip(Path nii) throws Exception {
        Path gz = nii.resolveSibling(nii.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(nii));
        }
        return gz;
    }

    static void assertFails(int exit, Result run, Path file, String reason, Path... outputs) throws Exception {
        assertEquals(exit, run.exit(), run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).contains(file.toString()), run.err());
        assertTrue(lines.get(0).contains(reason), run.err());
        assertFalse(run.err().matches("(?s).*\\b[A-Z][A-Za-z]*(Exception|Error)\\b.*"), run.err());
        for (Path o : outputs) {
            assertFalse(Files.exists(o), o.toString());
        }
    }

    /** Item 5: an output equal to the input (also through a link) is refused; the input stays as it was. */
    @Test
    void anOutputThatIsAnInputIsRefused() throws Exception {
        Path input = dir.resolve("item5/ct.nii");
        Files.createDirectories(input.getParent());
        Files.copy(valid, input);
        Map<Path, String> before = HostileInputs.checksums(input);
        assertFails(2, InProcessTool.deepstroke("nifti-convert", "-i", input.toString(), "-o", input.toString(),
                "-t", "float32"), input, "would overwrite it");
        Path link = Files.createSymbolicLink(dir.resolve("item5/link.nii"), input);
        assertFails(2, InProcessTool.deepstroke("nifti-convert", "-i", input.toString(), "-o", link.toString()),
                link, "would overwrite it");
        Path dotted = dir.resolve("item5/./../item5/ct.nii");
        assertFails(2, InProcessTool.deepstroke("nifti-info", "-i", input.toString(), "--output", dotted.toString()),
                dotted, "would overwrite it");
        assertEquals(before, HostileInputs.checksums(input));
    }

    /** Item 9: a NIfTI output must be named .nii or .nii.gz (it used to write a NIfTI as x.txt). */
    @Test
    void aNiftiOutputWithAnotherExtensionIsRefused() throws Exception {
        Path out = dir.resolve("x.txt");
        assertFails(2, InProcessTool.deepstroke("nifti-convert", "-i", valid.toString(), "-o", out.toString()), out,
                ".nii or .nii.gz", out);
    }

    /** Item 9: an output under a regular file, or where nothing may be written: one line naming the output. */
    @Test
    void unwritableOutputsNameTheOutputNotATemporaryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path under = file.resolve("out.nii");
        assertFails(2, InProcessTool.deepstroke("nifti-convert", "-i", valid.toString(), "-o", under.toString()),
                under, "is a file, not a folder");
        Path sys = Path.of("/sys/deepstroke-issue16.nii");
        Result run = InProcessTool.deepstroke("nifti-convert", "-i", valid.toString(), "-o", sys.toString());
        assertFails(1, run, sys, "cannot write");
        assertFalse(run.err().contains(".tmp"), run.err());
    }

    /** Item 6: NaN in sform, qform or pixdim, zero or negative voxel sizes: refused at read time, naming the file. */
    @Test
    void nonFiniteOrDegenerateGeometryIsRefusedAtReadTime() throws Exception {
        List<Path> bad = new ArrayList<>();
        bad.add(patched("nan-srow.nii", b -> b.putFloat(280, Float.NaN)));
        bad.add(patched("inf-srow.nii", b -> b.putFloat(300, Float.POSITIVE_INFINITY)));
        bad.add(patched("nan-qform.nii", b -> {
            b.putShort(254, (short) 0);
            b.putFloat(256, Float.NaN);
        }));
        bad.add(patched("nan-pixdim.nii", b -> {
            b.putShort(254, (short) 0);
            b.putFloat(80, Float.NaN);
        }));
        bad.add(patched("zero-pixdim.nii", b -> {
            b.putShort(254, (short) 0);
            b.putShort(252, (short) 0);
            b.putFloat(84, 0f);
        }));
        bad.add(patched("negative-pixdim.nii", b -> {
            b.putShort(254, (short) 0);
            b.putFloat(88, -2.5f);
        }));
        bad.add(patched("singular-sform.nii", b -> {
            for (int j = 0; j < 3; j++) {
                b.putFloat(280 + 32 + 4 * j, 0f);
            }
        }));
        for (Path f : bad) {
            Path out = dir.resolve("geometry-out-" + f.getFileName());
            assertFails(1, InProcessTool.deepstroke("nifti-convert", "-i", f.toString(), "-o", out.toString()), f,
                    "invalid NIfTI geometry", out);
            assertFails(1, InProcessTool.deepstroke("nifti-info", "-i", f.toString()), f, "invalid NIfTI geometry");
        }
    }

    /** Item 7: a header promising more than the file holds is refused before anything is allocated. */
    @Test
    void allocationBombsAreRefusedBeforeAllocating() throws Exception {
        Path big = patched("bomb-1200.nii", b -> {
            b.putShort(42, (short) 1200);
            b.putShort(44, (short) 1200);
            b.putShort(46, (short) 1200);
        });
        assertFails(1, InProcessTool.deepstroke("nifti-info", "-i", big.toString()), big, "truncated NIfTI file");
        Path bigGz = gzip(big);
        assertFails(1, InProcessTool.deepstroke("nifti-info", "-i", bigGz.toString()), bigGz, "uncompressed stream");
        Path huge = patched("bomb-30000.nii", b -> {
            b.putShort(42, (short) 30000);
            b.putShort(44, (short) 30000);
            b.putShort(46, (short) 30000);
        });
        assertFails(1, InProcessTool.deepstroke("nifti-info", "-i", huge.toString()), huge, "more than one volume");
        Path out = dir.resolve("bomb-out.nii");
        assertFails(1, InProcessTool.deepstroke("nifti-convert", "-i", bigGz.toString(), "-o", out.toString()), bigGz,
                "truncated", out);
    }

    /** Item 9: params with a syntax error or a key given twice: exit 1, one line naming the file and the line. */
    @Test
    void malformedOrDuplicateParamsNameTheFile() throws Exception {
        Path schema = ProjectPaths.root().resolve("params/schema.json");
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "outdir: a\n  threads: [1, 2\n");
        assertFails(1, InProcessTool.deepstroke("validate-params", "--schema", schema.toString(), "--params",
                yaml.toString()), yaml, "not valid YAML");
        Path json = Files.writeString(dir.resolve("bad.json"), "{\"outdir\": \"a\",}");
        assertFails(1, InProcessTool.deepstroke("validate-params", "--schema", schema.toString(), "--params",
                json.toString()), json, "not valid JSON");
        Path dup = Files.writeString(dir.resolve("dup.yaml"), "outdir: a\noutdir: b\n");
        assertFails(1, InProcessTool.deepstroke("validate-params", "--schema", schema.toString(), "--params",
                dup.toString()), dup, "outdir");
    }

    /**
     * Fuzz: nifti-info and nifti-convert on truncations at 40 offsets, 60 header bit flips and 30 random runs in the
     * header (plain and gzip-compressed); each either reads the file (a change in a header byte nothing uses, about
     * half of the flips) or fails cleanly. Every truncation must fail.
     */
    @Test
    void brokenNiftiFilesFailCleanly() throws Exception {
        List<HostileInputs.Case> corpus = new ArrayList<>(HostileInputs.truncations(validBytes, 40));
        corpus.addAll(HostileInputs.bitFlips(validBytes, 0, 352, 60, 16));
        corpus.addAll(HostileInputs.randomRuns(validBytes, 0, 352, 8, 30, 17));
        Path fuzz = Files.createDirectories(dir.resolve("fuzz"));
        int failures = 0;
        int accepted = 0;
        for (HostileInputs.Case c : corpus) {
            for (boolean gz : new boolean[] {false, true}) {
                Path in = fuzz.resolve(c.name() + ".nii");
                Files.write(in, c.bytes());
                if (gz) {
                    Path g = gzip(in);
                    Files.delete(in);
                    in = g;
                }
                Map<Path, String> before = HostileInputs.checksums(in);
                Path out = fuzz.resolve("out-" + c.name() + ".nii.gz");
                Result info = InProcessTool.deepstroke("nifti-info", "-i", in.toString());
                Result convert = InProcessTool.deepstroke("nifti-convert", "-i", in.toString(), "-o", out.toString());
                if (c.name().startsWith("truncated") || c.name().equals("empty")) {
                    assertTrue(info.exit() != 0, c.name() + " was read");
                }
                if (info.exit() == 0) {
                    // still a valid volume: nifti-convert must agree and write it
                    assertEquals(0, convert.exit(), c.name() + ": nifti-info read it\n" + convert.err());
                    assertTrue(Files.exists(out));
                    Files.delete(out);
                    accepted++;
                } else {
                    HostileInputs.assertCleanFailure(c.name() + " nifti-info", info, in, List.of(), before);
                    HostileInputs.assertCleanFailure(c.name() + " nifti-convert", convert, in, List.of(out), before);
                    failures++;
                }
                Files.delete(in);
            }
        }
        HostileInputs.assertNoTemporaries(fuzz);
        // seeds fixed: 82 truncations (plain + gzip) and 28 of the 180 header changes fail
        assertTrue(failures >= 110, failures + " failures, " + accepted + " accepted");
    }
}
