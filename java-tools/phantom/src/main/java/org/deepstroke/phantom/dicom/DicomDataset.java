package org.deepstroke.phantom.dicom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DICOM data set as plain values, independent of any DICOM library: the phantom builds its instances with this
 * and hands them to a {@link DicomFileWriter}. Elements are kept in tag order; string values are stored as given
 * (the writer pads them), numbers as Java arrays.
 */
public final class DicomDataset {

    /** One element: its value representation and value (String[], int[], long[], double[], short[], byte[] or a
     * list of item data sets). */
    public record Element(int tag, String vr, Object value) {
    }

    private final TreeMap<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);

    /** Text values (AE, AS, CS, DA, DS, IS, LO, LT, PN, SH, ST, TM, UI, UT ...); several values are joined by a
     * backslash by the writer. */
    public DicomDataset text(int tag, String vr, String... values) {
        return put(tag, vr, values.clone());
    }

    /** Unsigned short values (US). */
    public DicomDataset us(int tag, int... values) {
        return put(tag, "US", values.clone());
    }

    /** Signed short values (SS), e.g. Overlay Origin. */
    public DicomDataset ss(int tag, int... values) {
        return put(tag, "SS", values.clone());
    }

    /** Unsigned long values (UL). */
    public DicomDataset ul(int tag, long... values) {
        return put(tag, "UL", values.clone());
    }

    /** Double values (FD). */
    public DicomDataset fd(int tag, double... values) {
        return put(tag, "FD", values.clone());
    }

    /** Decimal strings, formatted by {@link Ds#format(double)}. */
    public DicomDataset ds(int tag, double... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            s[i] = Ds.format(values[i]);
        }
        return put(tag, "DS", s);
    }

    /** Integer strings (IS). */
    public DicomDataset is(int tag, long... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            s[i] = Long.toString(values[i]);
        }
        return put(tag, "IS", s);
    }

    /** 16-bit words (OW), e.g. pixel data with 16 bits allocated or packed overlay bits. */
    public DicomDataset ow(int tag, short[] words) {
        return put(tag, "OW", words);
    }

    /** Bytes (OB), e.g. 8-bit pixel data. */
    public DicomDataset ob(int tag, byte[] bytes) {
        return put(tag, "OB", bytes);
    }

    /** A sequence of item data sets (SQ). */
    public DicomDataset sequence(int tag, List<DicomDataset> items) {
        return put(tag, "SQ", List.copyOf(items));
    }

    public DicomDataset remove(int tag) {
        elements.remove(tag);
        return this;
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public Element get(int tag) {
        return elements.get(tag);
    }

    /** The first text value of a tag, or null. */
    public String string(int tag) {
        Element e = elements.get(tag);
        return e != null && e.value() instanceof String[] s && s.length > 0 ? s[0] : null;
    }

    /** The elements in ascending tag order. */
    public List<Element> elements() {
        return Collections.unmodifiableList(new ArrayList<>(elements.values()));
    }

    /** A copy (element values are shared: they are never modified after being put). */
    public DicomDataset copy() {
        DicomDataset c = new DicomDataset();
        c.elements.putAll(elements);
        return c;
    }

    /** Copies every element of {@code other} into this one (overwriting). */
    public DicomDataset putAll(DicomDataset other) {
        for (Map.Entry<Integer, Element> e : other.elements.entrySet()) {
            elements.put(e.getKey(), e.getValue());
        }
        return this;
    }

    private DicomDataset put(int tag, String vr, Object value) {
        elements.put(tag, new Element(tag, vr, value));
        return this;
    }
}
