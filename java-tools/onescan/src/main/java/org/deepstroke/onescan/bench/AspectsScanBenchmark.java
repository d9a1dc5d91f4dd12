package org.deepstroke.onescan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.TsvTable;
import org.deepstroke.phantom.StandInAtlas;

/**
 * {@code make bench}'s aspects-scan line: wall time per step of {@code deepstroke aspects-scan} (a cold JVM each
 * run; label transfer with the quick preset, and the U-Net when a model is given) on the shared Philips file-set
 * (the rules choose its STD BRAIN 5 mm series) and on a synthetic demo subject (deepstroke phantom, 512 matrix,
 * lesioned), against the same work as the pipeline's per-subject chain: the commands its Nextflow processes run
 * (DICOMDIR_SCAN, DICOM_TO_NIFTI, SKULL_STRIP, REGISTER, BACK_PROJECT, ASPECTS_SCORE), one JVM each, timed from
 * outside; Nextflow's own scheduling and staging come on top of that chain in a real run.
 *
 * <pre>java -cp "java-tools/dist/target/lib/base/*" org.deepstroke.onescan.bench.AspectsScanBenchmark \
 *     --shared ../shared/data [--model results/training/model.zip]</pre>
 */
public final class AspectsScanBenchmark {

    private final Path launcher;
    private final Path work;
    private final Path key;

    private AspectsScanBenchmark(Path launcher, Path work, Path key) {
        this.launcher = launcher;
        this.work = work;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of("../shared/data");
        Path model = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--shared" -> shared = Path.of(args[++i]);
                case "--model" -> model = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model != null && !Files.isRegularFile(model)) {
            System.out.println("aspects-scan bench: no U-Net model at " + model + " (make demo trains one): U-Net "
                    + "path not measured");
            model = null;
        }
        Path root = Path.of("").toAbsolutePath();
        Path work = Files.createTempDirectory("aspects-scan-bench-");
        Path key = work.resolve("key");
        Files.writeString(key, "aspects-scan-bench-key-0123456789\n");
        AspectsScanBenchmark b = new AspectsScanBenchmark(root.resolve("bin/deepstroke"), work, key);
        Path template = shared.resolve("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz");
        Path labels = StandInAtlas.write(template, work.resolve("standin_labels.nii.gz"));
        Path demo = work.resolve("demo");
        b.timed(List.of("phantom", "--template-with-skull",
                shared.resolve("atlas/ct-template-muschelli-2mm/template_with_skull_2mm.nii.gz").toString(),
                "--labels", labels.toString(), "--template", template.toString(), "--subjects", "1", "--seed", "3",
                "--normal-share", "0", "--tilt-share", "0", "--overlay-share", "0", "--threads", "2",
                "--pseudonym-key-file", key.toString(), "--output-dir", demo.toString()));
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("philips-5mm", shared.resolve("dicom/philips-phantom-fileset"));
        inputs.put("demo-subject", demo.resolve("dicom"));
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            b.compare(in.getKey(), in.getValue(), template, labels, model);
        }
    }

    private void compare(String name, Path dicom, Path template, Path labels, Path model) throws Exception {
        Path out = work.resolve(name + "-scan");
        double oneScan = timed(List.of("aspects-scan", "--dicom", dicom.toString(), "--output-dir", out.toString(),
                "--template", template.toString(), "--atlas-labels", labels.toString(), "--preset", "quick",
                "--pseudonym-key-file", key.toString(), "--threads", "2"));
        System.out.printf(Locale.ROOT, "aspects-scan %s, label transfer quick: %.1f s wall (cold JVM) = %s%n", name,
                oneScan, steps(out));
        if (model != null) {
            Path outU = work.resolve(name + "-scan-unet");
            double unet = timed(List.of("aspects-scan", "--dicom", dicom.toString(), "--output-dir", outU.toString(),
                    "--model", model.toString(), "--pseudonym-key-file", key.toString(), "--threads", "2"));
            System.out.printf(Locale.ROOT, "aspects-scan %s, U-Net: %.1f s wall (cold JVM) = %s%n", name, unet,
                    steps(outU));
        }
        // the pipeline's per-subject chain, one process per step as its Nextflow tasks run them
        Path c = Files.createDirectories(work.resolve(name + "-chain"));
        Map<String, Double> chain = new LinkedHashMap<>();
        chain.put("dicomdir-scan", timed(List.of("dicomdir-scan", "--input", dicom.toString(), "--folders",
                "--output", c.resolve("scan").toString(), "--threads", "2", "--pseudonym-key-file", key.toString())));
        String series = preferredSeries(c.resolve("scan/manifest.tsv"));
        chain.put("dicom-to-nifti", timed(List.of("dicom-to-nifti", "--files",
                c.resolve("scan/series/" + series + ".files").toString(), "--root", dicom.toString(), "--output",
                c.resolve("ct.nii.gz").toString())));
        chain.put("skull-strip", timed(List.of("skull-strip", "--input", c.resolve("ct.nii.gz").toString(), "--mask",
                c.resolve("mask.nii.gz").toString(), "--stripped", c.resolve("stripped.nii.gz").toString(),
                "--stats", c.resolve("strip.json").toString())));
        chain.put("register", timed(List.of("register", "--moving", c.resolve("stripped.nii.gz").toString(),
                "--fixed", template.toString(), "--atlas-labels", labels.toString(), "--output-prefix",
                c.resolve("s_").toString(), "--threads", "2", "--seed", "1", "--preset", "quick")));
        chain.put("back-project", timed(List.of("back-project", "--labels", labels.toString(), "--reference",
                c.resolve("ct.nii.gz").toString(), "--mask", c.resolve("mask.nii.gz").toString(), "--transform",
                "[" + c.resolve("s_0GenericAffine.mat") + ",1]", "--transform",
                c.resolve("s_1InverseWarp.nii.gz").toString(), "--output", c.resolve("labels.nii.gz").toString(),
                "--stats", c.resolve("labels.json").toString(), "--qc-png", c.resolve("labels_qc.png").toString(),
                "--threads", "2")));
        chain.put("aspects-score", timed(List.of("aspects-score", "--ct", c.resolve("ct.nii.gz").toString(),
                "--labels", c.resolve("labels.nii.gz").toString(), "--subject", "s", "--output-dir",
                c.resolve("aspects").toString())));
        double total = chain.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder sb = new StringBuilder();
        chain.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.1f", v)));
        System.out.printf(Locale.ROOT, "per-subject chain %s (6 JVMs, the Nextflow processes' commands): %.1f s = %s"
                + "; ratio chain / aspects-scan = %.2f%n", name, total, sb, total / oneScan);
    }

    private static String preferredSeries(Path manifest) {
        for (TsvTable.Row row : TsvTable.read(manifest, "manifest").rows()) {
            if (row.get("decision").equals("accepted") && row.get("preferred").equals("yes")) {
                return row.get("series");
            }
        }
        throw new IllegalStateException("no preferred accepted series in " + manifest);
    }

    private static String steps(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            Path json = s.filter(p -> p.getFileName().toString().endsWith("_report.json")).findFirst().orElseThrow();
            JsonNode t = Json.MAPPER.readTree(json.toFile()).get("timings_seconds");
            List<String> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                parts.add(e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue().asDouble()));
            }
            return String.join(", ", parts);
        }
    }

    /** Runs bin/deepstroke with the arguments; wall seconds; fails loudly on a nonzero exit. */
    private double timed(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        Path log = work.resolve("last.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + code + ":\n"
                    + Files.readString(log));
        }
        return seconds;
    }
}
