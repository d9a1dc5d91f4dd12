package org.deepstroke.aspects.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Published region-level figures of automated ASPECTS tools on clinical data, shown next to ours as context (the
 * figures issue 7 quotes), and the caveat that goes with every comparison.
 */
public final class PublishedFigures {

    public static final String CAVEAT = "Synthetic lesions are easier than clinical ones: the phantom lowers HU by "
            + "2-8 HU uniformly over whole ASPECTS regions (plus a loss of grey/white contrast), on a single "
            + "anatomy template, without old infarcts, leukoaraiosis, beam hardening, motion or partial lesions, and "
            + "the truth is exact (no DWI reference, no inter-rater disagreement). The published figures below are "
            + "from clinical NCCT against DWI or expert reads; ours are not comparable to them as a claim of "
            + "clinical performance.";

    private PublishedFigures() {
    }

    /** name, region-level sensitivity, specificity, reference standard. */
    public static List<Map<String, Object>> figures() {
        return List.of(row("e-ASPECTS (automated, clinical NCCT)", 0.58, 0.88, "DWI"),
                row("random-forest method (automated, clinical NCCT)", 0.66, 0.92, "as published"));
    }

    private static Map<String, Object> row(String name, double sens, double spec, String reference) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", name);
        m.put("region_sensitivity", sens);
        m.put("region_specificity", spec);
        m.put("reference", reference);
        return m;
    }
}
