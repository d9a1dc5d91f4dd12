package org.deepstroke.ingest.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import java.util.Arrays;

/**
 * Values of PixelMed attributes that never throw: an absent, empty or malformed element gives the fallback (hostile
 * headers must reach the series rules as "missing", not as an exception), and failures in words for users.
 */
final class DicomAttributes {

    private DicomAttributes() {
    }

    /**
     * What went wrong, in words (PixelMed's exception texts may quote values, and class names are not for users).
     */
    static String why(Throwable e) {
        if (e instanceof DicomException) {
            return "malformed data element";
        }
        if (e instanceof NegativeArraySizeException || e instanceof IndexOutOfBoundsException
                || e instanceof OutOfMemoryError) {
            return "element length out of range";
        }
        if (e instanceof NumberFormatException) {
            return "malformed number";
        }
        return "malformed data";
    }

    static String string(AttributeList list, AttributeTag tag) {
        Attribute a = list.get(tag);
        if (a == null) {
            return "";
        }
        String v = a.getSingleStringValueOrEmptyString();
        return v == null ? "" : v.strip();
    }

    static String[] strings(AttributeList list, AttributeTag tag) {
        Attribute a = list.get(tag);
        if (a == null) {
            return new String[0];
        }
        try {
            String[] v = a.getStringValues();
            return v == null ? new String[0] : v;
        } catch (DicomException e) {
            return new String[0];
        }
    }

    static double doubleValue(AttributeList list, AttributeTag tag, double fallback) {
        double[] v = doubles(list, tag, 1);
        return v == null ? fallback : v[0];
    }

    /** The first {@code count} numeric values, or null when fewer are present or any is not a number. */
    static double[] doubles(AttributeList list, AttributeTag tag, int count) {
        Attribute a = list.get(tag);
        if (a == null || a.getVM() < count) {
            return null;
        }
        try {
            double[] v = a.getDoubleValues();
            if (v == null || v.length < count) {
                return null;
            }
            double[] out = Arrays.copyOf(v, count);
            for (double d : out) {
                if (!Double.isFinite(d)) {
                    return null;
                }
            }
            return out;
        } catch (DicomException | RuntimeException e) {
            return null;
        }
    }

    static int[] ints(AttributeList list, AttributeTag tag) {
        Attribute a = list.get(tag);
        if (a == null || a.getVM() == 0) {
            return new int[0];
        }
        try {
            int[] v = a.getIntegerValues();
            return v == null ? new int[0] : v;
        } catch (DicomException | RuntimeException e) {
            return new int[0];
        }
    }

    static int intValue(AttributeList list, AttributeTag tag, int fallback) {
        Attribute a = list.get(tag);
        if (a == null || a.getVM() == 0) {
            return fallback;
        }
        try {
            String s = a.getSingleStringValueOrNull();
            if (s != null && !s.isBlank()) {
                return (int) Math.round(Double.parseDouble(s.strip()));
            }
            int[] v = a.getIntegerValues();
            return v == null || v.length == 0 ? fallback : v[0];
        } catch (DicomException | RuntimeException e) {
            return fallback;
        }
    }

    static Integer integerOrNull(AttributeList list, AttributeTag tag) {
        Attribute a = list.get(tag);
        if (a == null || a.getVM() == 0) {
            return null;
        }
        try {
            int[] v = a.getIntegerValues();
            return v == null || v.length == 0 ? null : v[0];
        } catch (DicomException | RuntimeException e) {
            return null;
        }
    }

    static long longValue(AttributeList list, AttributeTag tag, long fallback) {
        Attribute a = list.get(tag);
        if (a == null || a.getVM() == 0) {
            return fallback;
        }
        try {
            long[] v = a.getLongValues();
            return v == null || v.length == 0 ? fallback : v[0];
        } catch (DicomException | RuntimeException e) {
            return fallback;
        }
    }
}
