package org.deepstroke.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Summaries are byte-stable: JDK immutable maps and sets sorted, ordered maps and records left in their order. */
class JsonTest {

    record Window(double low, double high) {
    }

    @Test
    void immutableMapsAndSetsAreWrittenSortedOrderedOnesKeepTheirOrder() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("zeta", Map.of("voxels", 2167, "ml", 1.73, "b", List.of(3, 1)));
        doc.put("alpha", Set.of("r", "c", "m"));
        doc.put("window", new Window(10, 60));
        assertEquals("""
                {
                  "zeta" : {
                    "b" : [ 3, 1 ],
                    "ml" : 1.73,
                    "voxels" : 2167
                  },
                  "alpha" : [ "c", "m", "r" ],
                  "window" : {
                    "low" : 10.0,
                    "high" : 60.0
                  }
                }
                """, Json.pretty(doc));
    }

    @Test
    void treesBuiltFromImmutableMapsAreSortedToo() {
        assertEquals("{\"a\":1,\"b\":2,\"c\":3}",
                Json.MAPPER.valueToTree(Map.of("c", 3, "a", 1, "b", 2)).toString());
    }
}
