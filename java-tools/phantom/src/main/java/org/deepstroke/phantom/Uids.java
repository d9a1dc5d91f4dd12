package org.deepstroke.phantom;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * DICOM UIDs derived from the cohort seed: {@code 2.25.<decimal of a 128-bit UUID>} (ISO/IEC 9834-8, the UUID-derived
 * OID arc), with the UUID's version 8 (custom) and RFC 4122 variant bits set. The same seed and name always give the
 * same UID; different names give different UIDs with overwhelming probability.
 */
public final class Uids {

    private Uids() {
    }

    public static String uid(long seed, Object... name) {
        Object[] path = new Object[name.length + 1];
        path[0] = "uid";
        System.arraycopy(name, 0, path, 1, name.length);
        byte[] b = Arrays.copyOf(Seeds.digest(seed, path), 16);
        b[6] = (byte) ((b[6] & 0x0f) | 0x80); // version 8: custom
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // variant 10
        return "2.25." + new BigInteger(1, b);
    }
}
