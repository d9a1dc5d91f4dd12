package org.deepstroke.unet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;

/**
 * A small curated dataset (curate-dataset layout, DatasetLayout) of synthetic heads: a skull shell (1000 HU) around a brain
 * ellipsoid (30-40 HU) whose left and right halves each hold two regions (ids 1, 5 left; 11, 15 right) split
 * front/back, with the front region 8 HU brighter. Native grids are radiological (x axis towards the left),
 * 4 mm voxels, with a random shift of the head per subject: learnable from position and contrast.
 * With lesions: every subject also has a hypodense ball (-8 HU, radius 0.3 r) in its left front region, written as
 * lesion_masks/<subject>.nii.gz (0/1, on the CT's grid) and named in the manifest's lesion column, except for
 * subject 1 whose column stays empty (a subject without a truth lesion).
 */
public final class SyntheticDataset {

    private SyntheticDataset() {
    }

    public static Path write(Path dir, int subjects, int validation, int test, int n, long seed) throws IOException {
        return write(dir, subjects, validation, test, n, seed, false);
    }

    public static Path write(Path dir, int subjects, int validation, int test, int n, long seed, boolean lesions)
            throws IOException {
        for (String d : new String[] {"raw_volumes", "raw_segmentation", "brain_masks", "lesion_masks"}) {
            Files.createDirectories(dir.resolve(d));
        }
        StringBuilder manifest = new StringBuilder("subject\tsplit\tvariant\tvolume\tsegmentation\tvolume_sha256"
                + "\tsegmentation_sha256" + (lesions ? "\tlesion" : "") + "\n");
        SplittableRandom rng = new SplittableRandom(seed);
        for (int s = 0; s < subjects; s++) {
            String subject = String.format("sub-syn%03d", s);
            Affine affine = Affine.diagonal(-4, 4, 4).translate(4.0 * n / 2, -4.0 * n / 2, -4.0 * n / 2);
            ImageVolume ct = new ImageVolume(n, n, n, affine);
            ImageVolume labels = ct.blankLike();
            ImageVolume mask = ct.blankLike();
            ImageVolume lesion = ct.blankLike();
            double cx = n / 2.0 + rng.nextDouble(-1.5, 1.5);
            double cy = n / 2.0 + rng.nextDouble(-1.5, 1.5);
            double cz = n / 2.0 + rng.nextDouble(-1, 1);
            double r = n * (0.32 + rng.nextDouble(-0.02, 0.02));
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        double dx = (x - cx) / r;
                        double dy = (y - cy) / (1.1 * r);
                        double dz = (z - cz) / (0.9 * r);
                        double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
                        float hu = -1000;
                        if (d < 1) {
                            // native x runs towards the subject's left (radiological), so x > cx is left
                            boolean left = x > cx;
                            boolean front = y > cy;
                            int id = (front ? 1 : 5) + (left ? 0 : 10);
                            labels.set(x, y, z, id);
                            mask.set(x, y, z, 1);
                            hu = (float) ((front ? 38 : 30) + rng.nextDouble(-2, 2));
                            // lesion centre: left front quadrant (x > cx left, y > cy front)
                            double lx = (x - cx - 0.4 * r) / (0.3 * r);
                            double ly = (y - cy - 0.4 * r) / (0.3 * r);
                            double lz = (z - cz) / (0.3 * r);
                            if (lesions && lx * lx + ly * ly + lz * lz < 1) {
                                lesion.set(x, y, z, 1);
                                hu -= 8;
                            }
                        } else if (d < 1.25) {
                            hu = 1000;
                        }
                        ct.set(x, y, z, hu);
                    }
                }
            }
            String split = s < validation ? "validation" : s < validation + test ? "test" : "train";
            Path v = dir.resolve("raw_volumes/" + subject + ".nii.gz");
            Path l = dir.resolve("raw_segmentation/" + subject + ".nii.gz");
            NiftiWriter.write(ct, v, NiftiDatatype.INT16);
            NiftiWriter.write(labels, l, NiftiDatatype.UINT8);
            NiftiWriter.write(mask, dir.resolve("brain_masks/" + subject + ".nii.gz"), NiftiDatatype.UINT8);
            manifest.append(subject).append('\t').append(split).append("\traw\traw_volumes/").append(subject)
                    .append(".nii.gz\traw_segmentation/").append(subject).append(".nii.gz\t").append(sha(v))
                    .append('\t').append(sha(l));
            if (lesions) {
                manifest.append('\t');
                if (s != 1) {
                    NiftiWriter.write(lesion, dir.resolve("lesion_masks/" + subject + ".nii.gz"), NiftiDatatype.UINT8);
                    manifest.append("lesion_masks/").append(subject).append(".nii.gz");
                }
            }
            manifest.append('\n');
        }
        Files.writeString(dir.resolve("manifest.tsv"), manifest);
        return dir;
    }

    private static String sha(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
