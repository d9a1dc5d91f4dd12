package org.deepstroke.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One subject on the real 512 x 512 matrix (thin series as a slab, to stay fast), converted by dcm2niix. */
class PhantomFullMatrixTest {

    @TempDir
    Path tmp;

    @Test
    void aFullSize512SeriesIsWrittenAndConvertsOntoTheTruthGrid() throws Exception {
        Path out = tmp.resolve("full");
        TestCohorts.run(List.of("phantom", "--template-with-skull", TestCohorts.templateWithSkull().toString(),
                "--labels", TestCohorts.labels().toString(), "--template", TestCohorts.template().toString(),
                "--subjects", "1", "--seed", "11", "--overlay-share", "0", "--tilt-share", "0", "--normal-share", "0",
                "--thin-coverage", "slab", "--pseudonym-key-file", TestCohorts.keyFile().toString(),
                "--output-dir", out.toString()));
        Path subject = TestCohorts.subjectDirs(out).get(0);
        JsonNode truth = TestCohorts.truth(subject);
        JsonNode ncct = TestCohorts.series(truth, "ncct");
        assertEquals(512, ncct.get("rows").asInt());
        assertEquals(512, ncct.get("columns").asInt());
        double ps = ncct.get("pixel_spacing_mm").asDouble();
        assertTrue(ps >= 0.42 && ps <= 0.49, "pixel spacing " + ps);
        double thickness = ncct.get("slice_thickness_mm").asDouble();
        assertTrue(thickness >= 4 && thickness <= 5, "slice thickness " + thickness);
        JsonNode bone = TestCohorts.series(truth, "bone");
        assertEquals(1.0, bone.get("slice_thickness_mm").asDouble());
        assertTrue(bone.get("slices").asInt() >= 60, "60 mm slab of 1 mm slices");

        AttributeList first = DicomRead.headerOnly(DicomRead.seriesFiles(out.resolve("dicom"),
                ncct.get("series_instance_uid").asText()).get(0));
        assertEquals("512", DicomRead.string(first, TagFromName.Rows));
        assertEquals("-1024", DicomRead.string(first, TagFromName.RescaleIntercept));
        assertEquals("12", DicomRead.string(first, TagFromName.BitsStored));
        assertEquals("ORIGINAL\\PRIMARY\\AXIAL",
                com.pixelmed.dicom.Attribute.getDelimitedStringValuesOrEmptyString(first, TagFromName.ImageType));
        Dcm2niix.checkAgainstTruth(out, subject, tmp);
    }
}
