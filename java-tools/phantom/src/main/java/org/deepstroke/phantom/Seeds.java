package org.deepstroke.phantom;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Every random draw of the phantom comes from a generator keyed by the cohort seed and a path naming what it is for
 * (e.g. {@code seed, "subject", 3, "noise", "ncct", 17}), so results do not depend on the order in which threads
 * run, and adding a new draw does not shift the others.
 */
public final class Seeds {

    private Seeds() {
    }

    /** SHA-256 of the seed and the path parts. */
    public static byte[] digest(long seed, Object... path) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(8).putLong(seed).array());
            for (Object part : path) {
                sha.update((byte) 0x1f);
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public static long derive(long seed, Object... path) {
        return ByteBuffer.wrap(digest(seed, path)).getLong();
    }

    public static SplittableRandom random(long seed, Object... path) {
        return new SplittableRandom(derive(seed, path));
    }

    /** Uniform in [lo, hi). */
    public static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
