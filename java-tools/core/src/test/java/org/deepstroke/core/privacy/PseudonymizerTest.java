package org.deepstroke.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PseudonymizerTest {

    private static final String KEY = "a-test-key-of-enough-length";

    @Test
    void stableKeyedAndNamespaced() {
        Pseudonymizer p = new Pseudonymizer(KEY);
        String a = p.pseudonym("subject", "sub", "PAT-0001");
        assertEquals(a, new Pseudonymizer(KEY).pseudonym("subject", "sub", "PAT-0001"));
        assertTrue(a.matches("sub-[a-z2-7]{12}"), a);
        assertNotEquals(a, new Pseudonymizer(KEY + "x").pseudonym("subject", "sub", "PAT-0001"));
        assertNotEquals(a.substring(4), p.pseudonym("series", "sub", "PAT-0001").substring(4));
        assertEquals(a, p.pseudonym("subject", "sub", "  PAT-0001 "), "DICOM padding does not change the key");
    }

    @Test
    void knownVectorPinsTheAlgorithm() {
        // Computed independently with Python's hmac: HMAC-SHA256(key, "subject\0PAT-0001"), top 60 bits in
        // base32. A change here would silently re-key every existing cohort.
        assertEquals("sub-jimkm4477brt", new Pseudonymizer(KEY).pseudonym("subject", "sub", "PAT-0001"));
    }

    @Test
    void shortKeysAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pseudonymizer("short"));
        assertTrue(e.getMessage().contains(Pseudonymizer.KEY_ENV));
    }
}
