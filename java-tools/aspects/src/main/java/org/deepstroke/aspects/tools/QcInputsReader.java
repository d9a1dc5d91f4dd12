package org.deepstroke.aspects.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;

/**
 * The QC numbers of aspects-score's --brain-mask and --registration-qc files (issue 14 item 6: the same checks as
 * aspects-scan's, in the cohort pipeline): the mask's volume (voxels above 0) and register's brain overlap and
 * minimum Jacobian. A file that is given but lacks what is needed fails naming it.
 */
final class QcInputsReader {

    private QcInputsReader() {
    }

    /** @param brainMask the skull-strip mask, or null; @param registrationQc register's QC JSON, or null */
    static QcFlags.Inputs read(Path brainMask, Path registrationQc) throws IOException {
        double brainMl = brainMask == null ? Double.NaN : maskMl(NiftiReader.read(brainMask));
        double overlap = Double.NaN;
        double minJacobian = Double.NaN;
        if (registrationQc != null) {
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(registrationQc.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ToolFailure(registrationQc, "not valid JSON");
            }
            if (json == null || !json.path("brain_overlap").isNumber() || !json.path("min_jacobian").isNumber()) {
                throw new ToolFailure(registrationQc, "no numeric brain_overlap and min_jacobian (register's "
                        + "registration_qc.json)");
            }
            overlap = json.get("brain_overlap").asDouble();
            minJacobian = json.get("min_jacobian").asDouble();
        }
        return new QcFlags.Inputs(overlap, minJacobian, brainMl);
    }

    static double maskMl(ImageVolume mask) {
        long voxels = 0;
        for (float v : mask.data()) {
            if (v > 0) {
                voxels++;
            }
        }
        double[] sp = mask.spacing();
        return voxels * sp[0] * sp[1] * sp[2] / 1000.0;
    }
}
