package org.deepstroke.registration.atlas;

import java.nio.file.Path;

/** The file names {@code deepstroke atlas} writes into its output folder (the Nextflow module relies on them). */
public record AtlasOutputs(Path dir) {

    public Path labels() {
        return dir.resolve("aspects_labels.nii.gz");
    }

    public Path labelTable() {
        return dir.resolve("labels.tsv");
    }

    public Path qcImage() {
        return dir.resolve("atlas_qc.png");
    }

    public Path report() {
        return dir.resolve("atlas.json");
    }

    /** antsRegistration's output prefix: {@code atlas_to_template_0GenericAffine.mat}, {@code ..._1Warp.nii.gz}. */
    public Path transformPrefix() {
        return dir.resolve("atlas_to_template_");
    }

    /** The MR template's tissue classes (Atropos: 1 CSF, 2 grey, 3 white matter), kept for QC. */
    public Path mrTissue() {
        return dir.resolve("atlas_mr_template_tissue.nii.gz");
    }

    public Path mrTissueLog() {
        return dir.resolve("atlas_mr_template_tissue.log");
    }

    public Path registrationLog() {
        return dir.resolve("atlas_registration.log");
    }

    public Path applyTransformsLog() {
        return dir.resolve("atlas_apply_transforms.log");
    }

    /** Intermediate files (windowed templates, warped masks); removed after a successful run. */
    public Path scratch() {
        return dir.resolve("atlas_work");
    }
}
