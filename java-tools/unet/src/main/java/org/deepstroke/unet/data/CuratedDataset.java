package org.deepstroke.unet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.deepstroke.core.cli.ToolFailure;

/**
 * The curated dataset layout of curate-dataset (curation DatasetLayout): manifest.tsv rows of subject, split, variant,
 * volume, segmentation (relative paths) and their sha256; brain masks under brain_masks/<subject>.nii.gz. An optional
 * column {@code lesion} names the subject's 0/1 lesion mask on the volume's grid (empty, or no column: none).
 */
public final class CuratedDataset {

    /** {@code lesion}: the lesion mask, null when the row has none. */
    public record Entry(String subject, String split, String variant, Path volume, Path segmentation,
            Path brainMask, Path lesion) {
    }

    private final Path root;
    private final List<Entry> entries;
    private final String manifestSha256;

    private CuratedDataset(Path root, List<Entry> entries, String manifestSha256) {
        this.root = root;
        this.entries = entries;
        this.manifestSha256 = manifestSha256;
    }

    public static CuratedDataset open(Path root) {
        Path manifest = root.resolve("manifest.tsv");
        if (!Files.isRegularFile(manifest)) {
            throw new ToolFailure(manifest, "no manifest.tsv: not a curated dataset (see curate-dataset)");
        }
        try {
            List<String> lines = Files.readAllLines(manifest);
            if (lines.isEmpty()) {
                throw new ToolFailure(manifest, "empty manifest");
            }
            List<String> header = List.of(lines.get(0).split("\t", -1));
            int subject = column(header, "subject", manifest);
            int split = column(header, "split", manifest);
            int variant = column(header, "variant", manifest);
            int volume = column(header, "volume", manifest);
            int segmentation = column(header, "segmentation", manifest);
            int lesion = header.indexOf("lesion"); // optional (curate-dataset --truth)
            List<Entry> entries = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String[] f = lines.get(i).split("\t", -1);
                if (f.length < header.size()) {
                    throw new ToolFailure(manifest, "line " + (i + 1) + " has " + f.length + " columns, expected "
                            + header.size());
                }
                String s = f[split];
                if (!s.equals("train") && !s.equals("validation") && !s.equals("test")) {
                    throw new ToolFailure(manifest, "line " + (i + 1) + ": split '" + s
                            + "' is not train|validation|test");
                }
                Path mask = root.resolve("brain_masks").resolve(f[subject] + ".nii.gz");
                Path lesionFile = lesion < 0 || f[lesion].isEmpty() ? null : root.resolve(f[lesion]);
                entries.add(new Entry(f[subject], s, f[variant], root.resolve(f[volume]),
                        root.resolve(f[segmentation]), mask, lesionFile));
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    Files.readAllBytes(manifest)));
            return new CuratedDataset(root, entries, sha);
        } catch (IOException e) {
            throw new ToolFailure(manifest, "cannot read: " + e.getMessage());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int column(List<String> header, String name, Path manifest) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new ToolFailure(manifest, "missing column '" + name + "'");
        }
        return i;
    }

    public Path root() {
        return root;
    }

    public String manifestSha256() {
        return manifestSha256;
    }

    public List<Entry> entries(String split, String variant) {
        return entries.stream().filter(e -> e.split().equals(split) && e.variant().equals(variant)).toList();
    }

    public List<Entry> all() {
        return entries;
    }
}
