package org.deepstroke.reporting;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The methods paragraph of a run (fMRIPrep's "boilerplate"): which software at which version did what, with the
 * references to cite. A sentence appears only when its stage or software is part of the run, and references are
 * numbered in the order the text uses them.
 */
final class MethodsText {

    static final String NEXTFLOW = "Di Tommaso P, Chatzou M, Floden EW, Barja PP, Palumbo E, Notredame C. Nextflow "
            + "enables reproducible computational workflows. Nat Biotechnol. 2017;35(4):316-319. doi:10.1038/nbt.3820";
    static final String PIXELMED = "Clunie DA. PixelMed Java DICOM Toolkit. PixelMed Publishing. "
            + "https://www.pixelmed.com/dicomtoolkit.html";
    static final String ANTS_SYN = "Avants BB, Epstein CL, Grossman M, Gee JC. Symmetric diffeomorphic image "
            + "registration with cross-correlation: evaluating automated labeling of elderly and neurodegenerative "
            + "brain. Med Image Anal. 2008;12(1):26-41. doi:10.1016/j.media.2007.06.004";
    static final String ANTS_EVAL = "Avants BB, Tustison NJ, Song G, Cook PA, Klein A, Gee JC. A reproducible "
            + "evaluation of ANTs similarity metric performance in brain image registration. NeuroImage. "
            + "2011;54(3):2033-2044. doi:10.1016/j.neuroimage.2010.09.025";
    static final String MUSCHELLI = "Muschelli J. A publicly available, high resolution, unbiased CT brain template. "
            + "In: Information Processing and Management of Uncertainty in Knowledge-Based Systems (IPMU 2020). "
            + "Commun Comput Inf Sci. 2020;1239:358-366. doi:10.1007/978-3-030-50153-2_27. Template files: "
            + "github.com/muschellij2/high_res_ct_template, commit 135392e7 (CC BY-NC-SA 4.0)";
    static final String RORDEN = "Rorden C, Bonilha L, Fridriksson J, Bender B, Karnath HO. Age-specific CT and MRI "
            + "templates for spatial normalization. NeuroImage. 2012;61(4):957-965. "
            + "doi:10.1016/j.neuroimage.2012.03.020 (files: github.com/muschellij2/ichseg, commit 5bbc18dd, BSD-2)";
    static final String ASPECTS_MASKS = "ASPECTS region masks on the MNI152 grid: github.com/AnotherMak/aspects-on-cta, "
            + "region-masks/, commit eb479fe9 (MIT licence)";
    static final String ASPECTS = "Barber PA, Demchuk AM, Zhang J, Buchan AM. Validity and reliability of a "
            + "quantitative computed tomography score in predicting outcome of hyperacute stroke before thrombolytic "
            + "therapy. Lancet. 2000;355(9216):1670-1674. doi:10.1016/S0140-6736(00)02237-6";
    static final String DL4J = "Eclipse Deeplearning4j Development Team. Deeplearning4j: open-source distributed deep "
            + "learning for the JVM. Apache License 2.0. https://deeplearning4j.konduit.ai";
    static final String MLFLOW = "Zaharia M, Chen A, Davidson A, et al. Accelerating the machine learning lifecycle "
            + "with MLflow. IEEE Data Eng Bull. 2018;41(4):39-45";

    private final List<String> references = new ArrayList<>();

    private String cite(String... refs) {
        List<String> numbers = new ArrayList<>();
        for (String ref : refs) {
            int index = references.indexOf(ref);
            if (index < 0) {
                references.add(ref);
                index = references.size() - 1;
            }
            numbers.add(Integer.toString(index + 1));
        }
        return "[" + String.join(", ", numbers) + "]";
    }

    private static String at(SoftwareVersions versions, String software) {
        String v = versions.version(software);
        return v == null ? "" : " " + v;
    }

    /** The paragraph (plain text; the caller escapes it) for a run with these stages and versions. */
    String paragraph(Set<String> stages, SoftwareVersions versions, String nextflowVersion) {
        StringBuilder text = new StringBuilder();
        text.append("Results were produced with DeepStroke").append(at(versions, "deepstroke"))
                .append(", a Nextflow").append(nextflowVersion == null || nextflowVersion.isBlank() ? ""
                        : " " + nextflowVersion).append(' ').append(cite(NEXTFLOW))
                .append(" pipeline whose tools run on Java").append(at(versions, "java")).append(". ");
        if (stages.contains("ingest") || versions.version("pixelmed") != null && stages.contains("phantom")) {
            text.append("DICOM series were read and filtered (non-contrast axial head CT), converted to NIfTI in "
                    + "Hounsfield units with gantry tilt resampled, and their legacy overlays extracted with the "
                    + "PixelMed toolkit").append(at(versions, "pixelmed")).append(' ').append(cite(PIXELMED))
                    .append("; subjects are identified by keyed pseudonyms only. ");
        }
        if (stages.contains("atlas")) {
            text.append("The 20 ASPECTS regions ").append(cite(ASPECTS_MASKS)).append(" were mapped onto the CT "
                    + "template ").append(cite(MUSCHELLI)).append(" through a CT-to-CT registration of an MNI-space "
                    + "CT template ").append(cite(RORDEN)).append(" with ANTs").append(at(versions, "ants"))
                    .append(" (SyN) ").append(cite(ANTS_SYN, ANTS_EVAL)).append(". ");
        }
        if (stages.contains("registration")) {
            text.append("Each skull-stripped CT was registered to the template with ANTs").append(at(versions, "ants"))
                    .append(" (rigid, affine, SyN) ").append(cite(ANTS_SYN, ANTS_EVAL))
                    .append(" and the ASPECTS atlas was carried back to the native grid. ");
        }
        boolean dl4j = stages.contains("training") || stages.contains("prediction")
                || versions.software().stream().anyMatch(s -> s.startsWith("dl4j") || s.startsWith("nd4j"));
        if (dl4j) {
            String v = versions.version("dl4j");
            text.append("A 3-D U-Net segmenting the ASPECTS regions was trained and applied with Deeplearning4j")
                    .append(v == null ? "" : " " + v).append(' ').append(cite(DL4J)).append(". ");
        }
        if (stages.contains("aspects")) {
            text.append("The ASPECTS score ").append(cite(ASPECTS))
                    .append(" was computed as 10 minus the regions with early ischaemic change. ");
        }
        if (stages.contains("mlflow")) {
            text.append("Parameters, metrics and artifacts were tracked with MLflow ").append(cite(MLFLOW)).append(". ");
        }
        return text.toString().trim();
    }

    List<String> references() {
        return references;
    }
}
