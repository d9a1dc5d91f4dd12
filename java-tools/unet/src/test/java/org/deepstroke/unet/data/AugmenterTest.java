package org.deepstroke.unet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class AugmenterTest {

    private static Sample sample(int n) {
        float[] ct = new float[n * n * n];
        int[] labels = new int[ct.length];
        for (int z = 0, i = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++, i++) {
                    ct[i] = x + 10 * y + 100 * z;
                    labels[i] = x < n / 2 ? 1 + (y % 10) : (y == 0 ? 0 : 11 + (z % 10)); // sides 1..10 | 0, 11..20
                }
            }
        }
        return new Sample("s", n, ct, labels);
    }

    @Test
    void flipMirrorsAxisZeroAndSwapsHemispheresExactly() {
        int n = 6;
        Sample s = sample(n);
        Sample f = Augmenter.flipLeftRight(s);
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int i = x + n * (y + n * z);
                    int m = (n - 1 - x) + n * (y + n * z);
                    assertEquals(s.ct()[m], f.ct()[i]);
                    int id = s.labels()[m];
                    int expected = id == 0 ? 0 : id <= 10 ? id + 10 : id - 10;
                    assertEquals(expected, f.labels()[i]);
                }
            }
        }
        Sample back = Augmenter.flipLeftRight(f);
        assertArrayEquals(s.ct(), back.ct());
        assertArrayEquals(s.labels(), back.labels());
    }

    @Test
    void swapAndMergeFollowThePlatformIds() {
        assertEquals(11, LabelScheme.swapHemisphere(1));
        assertEquals(10, LabelScheme.swapHemisphere(20));
        assertEquals(0, LabelScheme.swapHemisphere(0));
        assertEquals(5, LabelScheme.toClass(15, 11));
        assertEquals(15, LabelScheme.toClass(15, 21));
        assertEquals("M1_R", LabelScheme.className(15, 21)); // 11 + 4: C, L, IC, I, M1 (region keys, as labels.tsv)
        assertEquals("IC", LabelScheme.className(3, 11));
    }

    @Test
    void augmentationIsAFunctionOfSeedEpochAndIndex() {
        Augmenter a = new Augmenter(Augmenter.Settings.defaults(), 5);
        Sample s = sample(8);
        assertArrayEquals(a.augment(s, 3, 1).ct(), a.augment(s, 3, 1).ct());
        assertNotEquals(a.augment(s, 3, 1).ct()[100], a.augment(s, 4, 1).ct()[100]);
    }

    @Test
    void identityRotationKeepsTheVolume() {
        Sample s = sample(8);
        Sample r = Augmenter.rotateScale(s, 0, 0, 0, 1);
        assertArrayEquals(s.labels(), r.labels());
        assertArrayEquals(s.ct(), r.ct(), 1e-4f);
    }
}
