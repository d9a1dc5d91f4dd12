package org.deepstroke.onescan;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.Json;
import org.deepstroke.registration.tools.BackProjectTool;
import org.deepstroke.registration.tools.RegisterTool;

/**
 * Atlas labels onto the native CT the way LABEL_TRANSFER does it: {@code register} (preset quick by default) of the
 * stripped CT onto the stripped CT template, then {@code back-project} of the atlas label map through the inverse
 * transforms inside the brain mask; both tools run in this JVM with the arguments of their Nextflow processes.
 * ANTs works on files, so this step reads and writes NIfTI in the work folder.
 */
final class LabelTransfer {

    /** The labels on the CT's grid and the registration's QC numbers. */
    record Result(ImageVolume labels, Qc qc, double registerSeconds, double backProjectSeconds) {
    }

    /** register's QC numbers (registration_qc.json); NaN = no registration (U-Net path). */
    record Qc(double brainOverlap, double ncc, double minJacobian) {
        static final Qc NONE = new Qc(Double.NaN, Double.NaN, Double.NaN);
    }

    private LabelTransfer() {
    }

    static Result run(Path ct, Path mask, Path stripped, Path template, Path atlasLabels, String preset, int threads,
            Path work) throws Exception {
        String prefix = work.resolve("reg_").toString();
        long t0 = System.nanoTime();
        InProcess.run(new RegisterTool(), List.of("--moving", stripped.toString(), "--fixed", template.toString(),
                "--atlas-labels", atlasLabels.toString(), "--output-prefix", prefix, "--preset", preset,
                "--threads", Integer.toString(threads), "--seed", "1"));
        long t1 = System.nanoTime();
        Path labels = work.resolve("labels.nii.gz");
        InProcess.run(new BackProjectTool(), List.of("--labels", atlasLabels.toString(), "--reference", ct.toString(),
                "--mask", mask.toString(), "--transform", "[" + prefix + "0GenericAffine.mat,1]",
                "--transform", prefix + "1InverseWarp.nii.gz", "--output", labels.toString(),
                "--threads", Integer.toString(threads)));
        long t2 = System.nanoTime();
        JsonNode qc = Json.MAPPER.readTree(Path.of(prefix + "registration_qc.json").toFile());
        return new Result(NiftiReader.read(labels), new Qc(number(qc, "brain_overlap"), number(qc, "ncc_brain"),
                number(qc, "min_jacobian")), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    private static double number(JsonNode qc, String field) {
        JsonNode v = qc.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
