package org.deepstroke.aspects;

import java.util.LinkedHashMap;
import java.util.Map;

/** A 2x2 table (truth x decision) with sensitivity and specificity; NaN where a class is empty. */
public final class BinaryCounts {

    private long tp;
    private long fp;
    private long tn;
    private long fn;

    public void add(boolean truth, boolean decision) {
        if (truth) {
            if (decision) {
                tp++;
            } else {
                fn++;
            }
        } else if (decision) {
            fp++;
        } else {
            tn++;
        }
    }

    public double sensitivity() {
        return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    public double specificity() {
        return tn + fp == 0 ? Double.NaN : (double) tn / (tn + fp);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tp", tp);
        m.put("fp", fp);
        m.put("tn", tn);
        m.put("fn", fn);
        m.put("sensitivity", round(sensitivity()));
        m.put("specificity", round(specificity()));
        return m;
    }

    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10000) / 10000.0;
    }
}
