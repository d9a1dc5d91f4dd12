package org.deepstroke.core.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms for subjects, studies and series: HMAC-SHA256 of the identifier under a secret key. The
 * same key and identifier always give the same pseudonym (so runs and cohorts can be joined), while without the
 * key the identifier cannot be recovered or guessed by hashing candidate IDs.
 */
public final class Pseudonymizer {

    /** Environment variable that holds the key when no key file is given. */
    public static final String KEY_ENV = "DEEPSTROKE_PSEUDONYM_KEY";

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int MIN_KEY_LENGTH = 16;

    private final SecretKeySpec key;

    public Pseudonymizer(String secret) {
        if (secret == null || secret.strip().length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("the pseudonymisation key must have at least " + MIN_KEY_LENGTH
                    + " characters (set " + KEY_ENV + " or give a key file)");
        }
        this.key = new SecretKeySpec(secret.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * The pseudonym of an identifier within a namespace (e.g. "subject", "study", "series"): the namespace keeps a
     * patient ID and a series UID that happen to be equal from mapping to the same key.
     *
     * @return {@code prefix-} followed by 12 base32 characters (60 bits), e.g. {@code sub-k3x9...}
     */
    public String pseudonym(String namespace, String prefix, String identifier) {
        byte[] digest = hmac(namespace + '\u0000' + (identifier == null ? "" : identifier.strip()));
        StringBuilder out = new StringBuilder(prefix.length() + 13).append(prefix).append('-');
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
        }
        for (int i = 0; i < 12; i++) {
            out.append(BASE32.charAt((int) ((bits >>> (59 - 5 * i)) & 31)));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
