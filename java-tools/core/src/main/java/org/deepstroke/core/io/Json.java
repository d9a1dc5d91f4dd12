package org.deepstroke.core.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON writer of every tool's summaries: indented, and byte-identical for the same content on every run.
 *
 * <p>Why: {@code Map.of(...)} and {@code Set.of(...)} iterate in an order that is randomised per JVM start, so the
 * same summary came out with its keys swapped from one run to the next and a resumed run's outputs did not
 * checksum like an uninterrupted run's. Here those two are written sorted by key (by element); ordered maps
 * (LinkedHashMap, TreeMap) and records keep their own, deliberate order.
 */
public final class Json {

    /** Indented, with unordered immutable maps and sets written in sorted order. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(stableOrder());

    private Json() {
    }

    /** {@code value} as indented JSON plus a final newline (what every summary file holds). */
    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SimpleModule stableOrder() {
        SimpleModule module = new SimpleModule("deepstroke-stable-order");
        // the JDK's randomised immutable collections: Map.of with 2+ entries (MapN), Set.of with 1-2 (Set12), 3+ (SetN)
        Class mapN = Map.of(1, 1, 2, 2).getClass();
        Class set12 = java.util.Set.of(1, 2).getClass();
        Class setN = java.util.Set.of(1, 2, 3).getClass();
        module.addSerializer(mapN, new SortedMapSerializer());
        module.addSerializer(set12, new SortedSetSerializer());
        module.addSerializer(setN, new SortedSetSerializer());
        return module;
    }

    /** Writes the map through a TreeMap keyed by the keys' text. */
    private static final class SortedMapSerializer extends StdSerializer<Map<?, ?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        SortedMapSerializer() {
            super((Class) Map.class);
        }

        @Override
        public void serialize(Map<?, ?> map, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            provider.defaultSerializeValue(sorted, gen);
        }
    }

    /** Writes the set as a list sorted by the elements' text. */
    private static final class SortedSetSerializer extends StdSerializer<Collection<?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        SortedSetSerializer() {
            super((Class) Collection.class);
        }

        @Override
        public void serialize(Collection<?> set, JsonGenerator gen, SerializerProvider provider) throws IOException {
            List<Object> sorted = new ArrayList<>(set);
            sorted.sort(Comparator.comparing(String::valueOf));
            provider.defaultSerializeValue(sorted, gen);
        }
    }
}
