package org.deepstroke.core.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ASPECTS region contract: fixed ids, codes, levels, the public atlas' tokens, the label table. */
class AspectsRegionTest {

    @TempDir
    Path dir;

    @Test
    void regionIdsAreTheFixedContract() {
        assertEquals(20, AspectsRegion.values().length);
        String[] codes = {"C", "L", "IC", "I", "M1", "M2", "M3", "M4", "M5", "M6"};
        for (int i = 0; i < 10; i++) {
            AspectsRegion left = AspectsRegion.ofId(i + 1);
            AspectsRegion right = AspectsRegion.ofId(i + 11);
            assertEquals(codes[i], left.code());
            assertEquals(codes[i], right.code());
            assertEquals(AspectsRegion.Side.L, left.side());
            assertEquals(AspectsRegion.Side.R, right.side());
            assertEquals(i < 7 ? AspectsRegion.Level.BG : AspectsRegion.Level.SG, left.level());
        }
        // The public mask set's own tokens: IC there is the insula, InCa the internal capsule (see AspectsRegion).
        assertEquals("IC", AspectsRegion.I_L.maskToken());
        assertEquals("InCa", AspectsRegion.IC_R.maskToken());
        assertEquals("LN", AspectsRegion.L_L.maskToken());
        assertEquals(AspectsRegion.IC_R, AspectsRegion.find("ic", "r").orElseThrow());
        assertTrue(AspectsRegion.find("InCa", "L").isEmpty(), "mask tokens are not region codes");
        assertEquals(10, AspectsRegion.perSide());
        for (AspectsRegion r : AspectsRegion.all()) {
            assertEquals(r.id() <= 10 ? r.id() + 10 : r.id() - 10, r.mirrored().id(), r.key());
            assertEquals(r, AspectsRegion.of(r.structure(), r.side()));
            assertEquals(r.code() + "_" + r.side(), r.key());
        }
    }

    @Test
    void eachGanglionicCortexContinuesIntoOneSupraganglionicCortexAbove() {
        Map<AspectsRegion.Structure, AspectsRegion.Structure> above = new java.util.EnumMap<>(AspectsRegion.Structure.class);
        for (AspectsRegion.Structure s : AspectsRegion.Structure.values()) {
            s.continuationAbove().ifPresent(a -> above.put(s, a));
        }
        assertEquals(Map.of(AspectsRegion.Structure.M1, AspectsRegion.Structure.M4, AspectsRegion.Structure.M2,
                AspectsRegion.Structure.M5, AspectsRegion.Structure.M3, AspectsRegion.Structure.M6), above);
        above.forEach((below, a) -> assertTrue(below.level() != a.level(), below + " and " + a + " share a level"));
    }

    @Test
    void labelTableRoundTripsAndAcceptsOtherIdsAndColumnOrders() throws Exception {
        Path tsv = dir.resolve("labels.tsv");
        LabelsTsv.write(tsv);
        Map<AspectsRegion, Integer> ids = LabelsTsv.read(tsv);
        ids.forEach((region, id) -> assertEquals(region.id(), id));

        StringBuilder other = new StringBuilder("hemisphere\tid\tregion\tcomment\n");
        for (AspectsRegion r : AspectsRegion.all()) {
            other.append(r.side()).append('\t').append(100 + r.id()).append('\t').append(r.code()).append("\tx\n");
        }
        Files.writeString(dir.resolve("other.tsv"), other);
        assertEquals(105, LabelsTsv.read(dir.resolve("other.tsv")).get(AspectsRegion.M1_L));
    }

    @Test
    void labelTableMustNameEveryRegionOnce() throws Exception {
        Files.writeString(dir.resolve("short.tsv"), "id\tregion\themisphere\n1\tC\tL\n");
        ToolFailure missing = assertThrows(ToolFailure.class, () -> LabelsTsv.read(dir.resolve("short.tsv")));
        assertTrue(missing.getMessage().contains("L_L"), missing.getMessage());

        Files.writeString(dir.resolve("bad.tsv"), "id\tregion\themisphere\n1\tXX\tL\n");
        ToolFailure unknown = assertThrows(ToolFailure.class, () -> LabelsTsv.read(dir.resolve("bad.tsv")));
        assertTrue(unknown.getMessage().contains("unknown ASPECTS region 'XX'"), unknown.getMessage());

        Files.writeString(dir.resolve("twice.tsv"), "id\tregion\themisphere\n1\tC\tL\n1\tL\tL\n");
        ToolFailure twice = assertThrows(ToolFailure.class, () -> LabelsTsv.read(dir.resolve("twice.tsv")));
        assertTrue(twice.getMessage().contains("used twice"), twice.getMessage());
    }
}
