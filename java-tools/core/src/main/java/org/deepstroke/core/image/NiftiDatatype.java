package org.deepstroke.core.image;

/** The NIfTI-1 scalar datatypes this platform reads and writes (complex and RGB types are refused clearly). */
public enum NiftiDatatype {
    UINT8(2, 1, 0, 255),
    INT16(4, 2, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(8, 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(16, 4, -Float.MAX_VALUE, Float.MAX_VALUE),
    FLOAT64(64, 8, -Double.MAX_VALUE, Double.MAX_VALUE),
    INT8(256, 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT16(512, 2, 0, 65535),
    UINT32(768, 4, 0, 4294967295.0),
    INT64(1024, 8, Long.MIN_VALUE, Long.MAX_VALUE),
    UINT64(1280, 8, 0, 18446744073709551615.0);

    private final int code;
    private final int bytes;
    private final double min;
    private final double max;

    NiftiDatatype(int code, int bytes, double min, double max) {
        this.code = code;
        this.bytes = bytes;
        this.min = min;
        this.max = max;
    }

    public int code() {
        return code;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64;
    }

    /** Smallest value the type holds. */
    public double min() {
        return min;
    }

    /** Largest value the type holds. */
    public double max() {
        return max;
    }

    /** The datatype with this NIfTI code, or null when unsupported. */
    public static NiftiDatatype fromCode(int code) {
        for (NiftiDatatype t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Parses a name as written on the command line, e.g. {@code int16} or {@code float32}. */
    public static NiftiDatatype parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
