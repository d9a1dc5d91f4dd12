package org.deepstroke.curation;

import java.nio.file.Path;
import java.util.List;

/** The folder layout the U-Net reads (README "Outputs": dataset/); every path relative to the dataset root. */
public final class DatasetLayout {

    /** One image variant of a subject: the volume folder and its segmentation folder. */
    public enum Variant {
        RAW("raw", "raw_volumes", "raw_segmentation"),
        STRIPPED("stripped", "stripped_volumes", "stripped_segmentation"),
        REGISTERED("registered", "registered_volumes", "registered_segmentation");

        private final String label;
        private final String volumes;
        private final String segmentations;

        Variant(String label, String volumes, String segmentations) {
            this.label = label;
            this.volumes = volumes;
            this.segmentations = segmentations;
        }

        public String label() {
            return label;
        }

        public String volume(String subject) {
            return volumes + "/" + subject + ".nii.gz";
        }

        public String segmentation(String subject) {
            return segmentations + "/" + subject + ".nii.gz";
        }
    }

    public static final String BRAIN_MASKS = "brain_masks";
    public static final String MANIFEST = "manifest.tsv";
    public static final String DATASET_JSON = "dataset.json";
    public static final String LABELS = "labels.tsv";
    /** Lesion masks (curate-dataset --truth) on the native CT's grid, shared by the raw and stripped rows. */
    public static final String LESION_MASKS = "lesion_masks";
    /**
     * {@code lesion} / {@code lesion_sha256}: the subject's 0/1 lesion mask on the row's volume grid, empty when there
     * is none (no --truth, no truth mask for the subject, or the registered variant: see {@link #lesion}).
     */
    public static final List<String> MANIFEST_COLUMNS = List.of("subject", "split", "variant", "volume",
            "segmentation", "volume_sha256", "segmentation_sha256", "lesion", "lesion_sha256");

    private DatasetLayout() {
    }

    public static String brainMask(String subject) {
        return BRAIN_MASKS + "/" + subject + ".nii.gz";
    }

    /** The lesion mask of a subject (on the native CT's grid, so for the raw and stripped variants). */
    public static String lesion(String subject) {
        return LESION_MASKS + "/" + subject + ".nii.gz";
    }

    public static Path resolve(Path root, String relative) {
        return root.resolve(relative);
    }
}
