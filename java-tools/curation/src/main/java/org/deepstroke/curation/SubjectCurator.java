package org.deepstroke.curation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.curation.DatasetLayout.Variant;

/**
 * Writes one subject's seven dataset images after checking that they fit together: the native images share the CT's
 * grid, the registered CT and labels share theirs, label maps hold whole ids 0..20 and the brain mask is 0/1.
 * With a truth folder (the phantom's layout, {@code <truth>/<subject>/lesion_mask.nii.gz}) the subject's lesion mask
 * is written too, on the CT's grid: nearest neighbour through world coordinates, because the truth lies on the
 * acquisition grid (a sheared sform when the gantry is tilted) and the CT may be tilt-corrected or otherwise
 * regridded. Not for the registered variant: the native-to-atlas warp is not an input here (REGISTER keeps it), so
 * the registered rows carry no lesion rather than a wrong one.
 */
public final class SubjectCurator {

    /** Affines of images written by different tools agree to float precision; 1e-3 mm is far below a voxel. */
    static final double GRID_TOLERANCE_MM = 1e-3;
    static final int MAX_LABEL = 20;

    private final Path root;
    private final Path truth;

    public SubjectCurator(Path root) {
        this(root, null);
    }

    /** @param truth the phantom truth folder, or null for none */
    public SubjectCurator(Path root, Path truth) {
        this.root = root;
        this.truth = truth;
    }

    /** The subject's truth lesion mask, or null when there is no truth folder or it has none for the subject. */
    public Path truthLesion(String subject) {
        if (truth == null) {
            return null;
        }
        Path f = truth.resolve(subject).resolve(LESION_MASK);
        return Files.isRegularFile(f) ? f : null;
    }

    static final String LESION_MASK = "lesion_mask.nii.gz";

    /** Writes the subject's images; returns whether a lesion mask was written. */
    public boolean write(SubjectTable.Subject s) throws IOException {
        ImageVolume ct = NiftiReader.read(s.ct());
        ImageVolume labels = sameGrid(NiftiReader.read(s.labels()), s.labels(), ct, s.ct());
        ImageVolume mask = sameGrid(NiftiReader.read(s.brainMask()), s.brainMask(), ct, s.ct());
        ImageVolume stripped = sameGrid(NiftiReader.read(s.strippedCt()), s.strippedCt(), ct, s.ct());
        checkLabels(labels, s.labels());
        checkMask(mask, s.brainMask());
        String id = s.id();
        // Raw CT as int16 HU: the scanner's own type, half the size of float.
        NiftiWriter.write(ct, out(Variant.RAW.volume(id)), huType(ct, s.ct()));
        NiftiWriter.write(labels, out(Variant.RAW.segmentation(id)), NiftiDatatype.UINT8);
        NiftiWriter.write(mask, out(DatasetLayout.brainMask(id)), NiftiDatatype.UINT8);
        NiftiWriter.write(stripped, out(Variant.STRIPPED.volume(id)), NiftiDatatype.FLOAT32);
        float[] inside = labels.data().clone();
        for (int i = 0; i < inside.length; i++) {
            if (mask.data()[i] == 0) {
                inside[i] = 0;
            }
        }
        NiftiWriter.write(labels.withData(inside), out(Variant.STRIPPED.segmentation(id)), NiftiDatatype.UINT8);
        Path lesionFile = truthLesion(id);
        if (lesionFile != null) {
            ImageVolume lesion = NiftiReader.read(lesionFile);
            checkMask(lesion, lesionFile);
            NiftiWriter.write(Interpolation.nearestOnto(lesion, ct, GRID_TOLERANCE_MM), out(DatasetLayout.lesion(id)),
                    NiftiDatatype.UINT8);
        }
        ct = null; // the native images are done: let the registered ones take their memory
        labels = null;
        ImageVolume registered = NiftiReader.read(s.registeredCt());
        ImageVolume registeredLabels = sameGrid(NiftiReader.read(s.registeredLabels()), s.registeredLabels(),
                registered, s.registeredCt());
        checkLabels(registeredLabels, s.registeredLabels());
        NiftiWriter.write(registered, out(Variant.REGISTERED.volume(id)), NiftiDatatype.FLOAT32);
        NiftiWriter.write(registeredLabels, out(Variant.REGISTERED.segmentation(id)), NiftiDatatype.UINT8);
        return lesionFile != null;
    }

    private Path out(String relative) {
        return root.resolve(relative);
    }

    private static ImageVolume sameGrid(ImageVolume image, Path file, ImageVolume reference, Path referenceFile) {
        if (!image.sameGrid(reference, GRID_TOLERANCE_MM)) {
            String why = Arrays.equals(image.dims(), reference.dims())
                    ? "affine differs by " + String.format("%.4g", image.voxelToWorld().maxDifference(
                            reference.voxelToWorld())) + " mm"
                    : "dims " + Arrays.toString(image.dims()) + " vs " + Arrays.toString(reference.dims());
            throw new ToolFailure(file, "grid differs from " + referenceFile + " (" + why + ")");
        }
        return image;
    }

    private static void checkLabels(ImageVolume labels, Path file) {
        for (float v : labels.data()) {
            if (v < 0 || v > MAX_LABEL || v != Math.rint(v)) {
                throw new ToolFailure(file, "not a label map: value " + v + " (expected whole ids 0.." + MAX_LABEL + ")");
            }
        }
    }

    private static void checkMask(ImageVolume mask, Path file) {
        for (float v : mask.data()) {
            if (v != 0 && v != 1) {
                throw new ToolFailure(file, "not a 0/1 mask: value " + v);
            }
        }
    }

    private static NiftiDatatype huType(ImageVolume ct, Path file) {
        for (float v : ct.data()) {
            if (!(v >= Short.MIN_VALUE && v <= Short.MAX_VALUE)) {
                throw new ToolFailure(file, "CT value " + v + " does not fit int16 HU");
            }
        }
        return NiftiDatatype.INT16;
    }
}
