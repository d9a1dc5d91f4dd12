package org.deepstroke.registration.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Progress;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.process.ExternalCommand;
import org.deepstroke.registration.Ants;
import org.deepstroke.registration.register.AntsApply;
import org.deepstroke.registration.register.NativeRegistration;
import org.deepstroke.registration.register.RegistrationParameters;
import org.deepstroke.registration.register.RegistrationPresets;
import org.deepstroke.registration.register.RegistrationQc;

/**
 * {@code deepstroke register}: a skull-stripped native CT (moving) onto the skull-stripped CT atlas (fixed) with
 * antsRegistration: rigid -> affine (MI) -> SyN (CC), a named preset with every parameter overridable, fixed seed and
 * thread count, a timeout, ANTs' output in {@code <prefix>registration.log}, and QC (folding, brain overlap, NCC,
 * picture).
 */
public final class RegisterTool implements Tool {

    /** What {@code --output-prefix} is followed by in the files this tool writes. */
    static final List<String> OUTPUT_SUFFIXES = List.of("0GenericAffine.mat", "1Warp.nii.gz", "1InverseWarp.nii.gz",
            "warped.nii.gz", "registration.log", "registration_qc.json", "registration_qc.png");

    @Override
    public String name() {
        return "register";
    }

    @Override
    public String summary() {
        return "Native CT -> CT atlas with ANTs (rigid, affine MI, SyN CC): transforms, warped CT, QC JSON + PNG";
    }

    @Override
    public Options options() {
        Options o = new Options()
                .addOption(Option.builder().longOpt("moving").hasArg().argName("NIFTI").required()
                        .desc("skull-stripped native CT (HU)").build())
                .addOption(Option.builder().longOpt("fixed").hasArg().argName("NIFTI").required()
                        .desc("skull-stripped CT atlas/template (HU)").build())
                .addOption(Option.builder().longOpt("output-prefix").hasArg().argName("PREFIX").required()
                        .desc("output prefix, e.g. out/sub-x_: writes <prefix>0GenericAffine.mat, 1Warp.nii.gz, "
                                + "1InverseWarp.nii.gz, warped.nii.gz, registration.log, registration_qc.json/png")
                        .build())
                .addOption(Option.builder().longOpt("preset").hasArg().argName("NAME")
                        .desc("parameter preset: quick (tests), fast (default), aggressive (the seed's)").build())
                .addOption(Option.builder().longOpt("presets").hasArg().argName("YAML")
                        .desc("preset table to read instead of the built-in one").build())
                .addOption(CommonOptions.threads("ITK threads (default: the available processors)"))
                .addOption(CommonOptions.seed("random seed of ANTs' sampling (default 1)"))
                .addOption(Option.builder().longOpt("timeout-s").hasArg().argName("SECONDS")
                        .desc("stop ANTs after this long (default 3600)").build())
                .addOption(Option.builder().longOpt("fixed-mask").hasArg().argName("NIFTI")
                        .desc("atlas brain mask on the fixed grid: crop box, NCC, overlap and folding region (default: "
                                + "the fixed image's non-zero voxels)").build())
                .addOption(Option.builder().longOpt("atlas-labels").hasArg().argName("NIFTI")
                        .desc("label map on the fixed grid whose outlines the QC picture draws (default: the "
                                + "brain outline)").build());
        for (RegistrationParameters.Key key : RegistrationParameters.KEYS) {
            o.addOption(Option.builder().longOpt(key.option()).hasArg().argName("VALUE")
                    .desc("override: " + key.help()).build());
        }
        return o;
    }

    /** What the command line asks for, read after the output guard. */
    private record Request(Path moving, Path fixed, Path fixedMask, Path atlasLabels, String prefix,
            RegistrationParameters parameters, int threads, long seed, int timeoutS) {

        /** {@code <prefix><suffix>}: one of the {@link #OUTPUT_SUFFIXES} files. */
        Path output(String suffix) {
            return Path.of(prefix + suffix);
        }
    }

    /** The fixed image, the region the QC measures in, and the outlines its picture draws. */
    private record Fixed(ImageVolume image, ImageVolume region, ImageVolume outlines) {
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Request q = request(cmd);
        Fixed fixed = readFixed(q);
        Ants ants = Ants.locate();

        Path log = q.output("registration.log");
        Path dir = log.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir, ".register-");
        long start = System.nanoTime();
        try (Progress progress = new Progress("register", 3)) {
            NativeRegistration.Result r = register(ants, q, work, log);
            progress.advance(1);
            Path warpedBrain = warp(ants, q, r, work, log);
            progress.advance(1);
            RegistrationQc.Measures qc = RegistrationQc.measure(ants, r.warp(), binary(NiftiReader.read(
                    r.croppedFixed())), work.resolve("jacobian.nii.gz"), NiftiReader.read(q.output("warped.nii.gz")),
                    NiftiReader.read(warpedBrain), fixed.image(), binary(fixed.region()), log, q.threads());
            move(r.affine(), q.output("0GenericAffine.mat"));
            move(r.warp(), q.output("1Warp.nii.gz"));
            move(r.inverseWarp(), q.output("1InverseWarp.nii.gz"));
            double seconds = (System.nanoTime() - start) / 1e9;
            writeQc(ants, q, fixed, r, qc, seconds, work);
            progress.advance(1);
            RegistrationParameters p = q.parameters();
            System.err.printf(Locale.ROOT, "register: preset %s, %.1f s (ANTs %.1f s), brain overlap %.3f, NCC %.3f, "
                    + "min Jacobian %.3f%n", p.preset(), seconds, r.registration().toMillis() / 1e3,
                    qc.brainOverlap(), qc.ncc(), qc.minJacobian());
        } finally {
            deleteTree(work);
        }
        return ExitCodes.OK;
    }

    /** Reads the options; the output guard runs before any input (the preset table included) is read. */
    private static Request request(CommandLine cmd) throws IOException {
        Path moving = Args.existingFile(cmd, "moving");
        Path fixed = Args.existingFile(cmd, "fixed");
        Path fixedMask = cmd.hasOption("fixed-mask") ? Args.existingFile(cmd, "fixed-mask") : null;
        Path atlasLabels = cmd.hasOption("atlas-labels") ? Args.existingFile(cmd, "atlas-labels") : null;
        String prefix = Args.requiredPath(cmd, "output-prefix").toString();
        Path presetsFile = cmd.hasOption("presets") ? Args.existingFile(cmd, "presets") : null;
        OutputGuard guard = OutputGuard.create().input("moving", moving).input("fixed", fixed)
                .input("fixed-mask", fixedMask).input("atlas-labels", atlasLabels).input("presets", presetsFile);
        for (String suffix : OUTPUT_SUFFIXES) {
            guard.output("output-prefix", Path.of(prefix + suffix));
        }
        guard.check();
        RegistrationPresets presets = presetsFile != null ? RegistrationPresets.read(presetsFile)
                : RegistrationPresets.builtIn();
        RegistrationParameters p = presets.get(cmd.getOptionValue("preset", "fast"));
        for (RegistrationParameters.Key key : RegistrationParameters.KEYS) {
            if (cmd.hasOption(key.option())) {
                p.override(key.name(), cmd.getOptionValue(key.option()));
            }
        }
        int threads = Args.intValue(cmd, "threads", Runtime.getRuntime().availableProcessors());
        long seed = Args.intValue(cmd, "seed", 1);
        int timeoutS = Args.intValue(cmd, "timeout-s", 3600);
        if (threads < 1 || timeoutS < 1) {
            throw new UsageError("--threads and --timeout-s must be at least 1");
        }
        return new Request(moving, fixed, fixedMask, atlasLabels, prefix, p, threads, seed, timeoutS);
    }

    private static Fixed readFixed(Request q) throws IOException {
        ImageVolume fixedImage = NiftiReader.read(q.fixed());
        ImageVolume fixedRegion = q.fixedMask() != null ? NiftiReader.read(q.fixedMask()) : fixedImage;
        if (!fixedRegion.sameGrid(fixedImage, 1e-3)) {
            throw new ToolFailure(q.fixedMask(), "not on the fixed image's grid");
        }
        ImageVolume outlines = q.atlasLabels() != null ? NiftiReader.read(q.atlasLabels()) : binary(fixedRegion);
        if (!outlines.sameGrid(fixedImage, 1e-3)) {
            throw new ToolFailure(q.atlasLabels(), "not on the fixed image's grid");
        }
        return new Fixed(fixedImage, fixedRegion, outlines);
    }

    /** antsRegistration, its settings first in the log; a failure names the moving image. */
    private static NativeRegistration.Result register(Ants ants, Request q, Path work, Path log) throws Exception {
        RegistrationParameters p = q.parameters();
        Files.writeString(log, "deepstroke register: preset " + p.preset() + ", parameters " + p.values()
                + ", threads " + q.threads() + ", seed " + q.seed() + "\n", StandardCharsets.UTF_8);
        NativeRegistration registration = new NativeRegistration(ants, p, q.threads(), q.seed(),
                Duration.ofSeconds(q.timeoutS()));
        try {
            return registration.run(q.fixed(), q.moving(), q.fixedMask(), work, log);
        } catch (ExternalCommand.CommandFailedException e) {
            throw new ToolFailure(q.moving(), "registration failed: " + e.getMessage(), e);
        }
    }

    /** Writes the warped CT and returns the moving brain mask warped alike (in the work folder, for the QC). */
    private static Path warp(Ants ants, Request q, NativeRegistration.Result r, Path work, Path log)
            throws Exception {
        AntsApply apply = new AntsApply(ants, q.threads()).log(log);
        Path warped = q.output("warped.nii.gz");
        apply.apply(r.workingMoving(), q.fixed(), warped, AntsApply.Interpolation.LINEAR,
                List.of(r.warp().toString(), r.affine().toString()), null);
        Path movingBrain = work.resolve("moving_brain.nii.gz");
        Path warpedBrain = work.resolve("warped_brain.nii.gz");
        NiftiWriter.write(RegistrationQc.brainOf(NiftiReader.read(q.moving())), movingBrain, NiftiDatatype.UINT8);
        apply.apply(movingBrain, q.fixed(), warpedBrain, AntsApply.Interpolation.LINEAR,
                List.of(r.warp().toString(), r.affine().toString()), null);
        return warpedBrain;
    }

    /** The QC picture, then the QC JSON. */
    private static void writeQc(Ants ants, Request q, Fixed fixed, NativeRegistration.Result r,
            RegistrationQc.Measures qc, double seconds, Path work) throws Exception {
        RegistrationParameters p = q.parameters();
        String title = String.format(Locale.ROOT,
                "%s on the atlas: preset %s, brain overlap %.3f, NCC %.3f, min Jacobian %.3f",
                Path.of(q.prefix()).getFileName().toString().replaceAll("[_.-]+$", ""), p.preset(),
                qc.brainOverlap(), qc.ncc(), qc.minJacobian());
        RegistrationQc.writePicture(NiftiReader.read(q.output("warped.nii.gz")), fixed.outlines(), title,
                q.output("registration_qc.png"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("preset", p.preset());
        json.put("parameters", p.values());
        json.put("overrides", p.overrides());
        json.put("threads", q.threads());
        json.put("seed", q.seed());
        json.put("ants_version", ants.version());
        json.put("moving_spacing_mm", NiftiReader.readHeader(q.moving()).affine().columnNorms());
        json.put("fixed_crop_dims", NiftiReader.readHeader(r.croppedFixed()).dims());
        json.put("seconds_resampling", round(r.resampling().toMillis() / 1e3));
        json.put("seconds_registration", round(r.registration().toMillis() / 1e3));
        json.put("seconds_total", round(seconds));
        json.put("min_jacobian", round(qc.minJacobian()));
        json.put("folded_fraction", qc.foldedFraction());
        json.put("ncc_brain", round(qc.ncc()));
        json.put("brain_overlap", round(qc.brainOverlap()));
        json.put("brain_voxels", qc.brainVoxels());
        json.put("command", r.commandLine().replace(work.toString(), "<work>"));
        AtomicFiles.writeString(q.output("registration_qc.json"),
                Json.pretty(json));
    }

    private static ImageVolume binary(ImageVolume v) {
        float[] d = new float[v.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = v.data()[i] > 0 ? 1 : 0;
        }
        return v.withData(d);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1000) / 1000.0;
    }
}
