package org.deepstroke.phantom.dicom;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Decimal strings (DICOM VR DS: at most 16 characters). Geometry that is written as DS is first passed through
 * {@link #round(double)}, so the values used for the ground truth are exactly the values a reader parses.
 */
public final class Ds {

    private static final int MAX_DECIMALS = 10;

    private Ds() {
    }

    /** The shortest plain decimal with at most 10 decimals (fewer when needed to fit 16 characters). */
    public static String format(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("DS value must be finite: " + value);
        }
        for (int decimals = MAX_DECIMALS; decimals >= 0; decimals--) {
            BigDecimal b = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
            if (b.signum() == 0) {
                return "0";
            }
            String s = b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
            if (s.length() <= 16) {
                return s;
            }
        }
        throw new IllegalArgumentException("value too large for DS: " + value);
    }

    /** The value a reader gets back from {@link #format(double)}. */
    public static double round(double value) {
        return Double.parseDouble(format(value));
    }

    /** {@link #round(double)} element-wise. */
    public static double[] round(double... values) {
        double[] r = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = round(values[i]);
        }
        return r;
    }
}
