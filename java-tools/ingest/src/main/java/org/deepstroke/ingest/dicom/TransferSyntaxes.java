package org.deepstroke.ingest.dicom;

import java.util.Map;

/** Names for transfer syntax UIDs (standard UIDs, not identifiers) and which ones we decode. */
public final class TransferSyntaxes {

    public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(IMPLICIT_LE, "implicit-le"),
            Map.entry(EXPLICIT_LE, "explicit-le"),
            Map.entry(DEFLATED_LE, "deflated-le"),
            Map.entry(EXPLICIT_BE, "explicit-be"),
            Map.entry("1.2.840.10008.1.2.4.50", "jpeg-baseline"),
            Map.entry("1.2.840.10008.1.2.4.51", "jpeg-extended"),
            Map.entry("1.2.840.10008.1.2.4.57", "jpeg-lossless"),
            Map.entry("1.2.840.10008.1.2.4.70", "jpeg-lossless-sv1"),
            Map.entry("1.2.840.10008.1.2.4.80", "jpeg-ls-lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "jpeg-ls-near-lossless"),
            Map.entry("1.2.840.10008.1.2.4.90", "jpeg2000-lossless"),
            Map.entry("1.2.840.10008.1.2.4.91", "jpeg2000"),
            Map.entry("1.2.840.10008.1.2.5", "rle"));

    private TransferSyntaxes() {
    }

    /** A short name, "other" for UIDs we do not know (never the UID itself: outputs carry no UIDs). */
    public static String name(String uid) {
        if (uid == null || uid.isBlank()) {
            return "unknown";
        }
        return NAMES.getOrDefault(uid.strip(), "other");
    }

    /**
     * True for the syntaxes dicom-to-nifti decodes: native ones and the lossless JPEG that pixelmed-imageio reads,
     * plus RLE (PixelMed's own decoder). Lossy JPEG would decode through the JDK's baseline reader but is refused for
     * HU data on purpose; JPEG-LS and JPEG 2000 need codecs PixelMed does not ship.
     */
    public static boolean decodable(String uid) {
        return decodableName(name(uid));
    }

    /**
     * {@link #decodable} by the short name the scan keeps. JPEG 2000 (checked for issue 16): neither Debian's
     * PixelMed/pixelmed-imageio nor the JDK's ImageIO has a JPEG 2000 reader, and the one ImageIO plugin on Maven
     * Central (com.github.jai-imageio:jai-imageio-jpeg2000:1.4.0) carries the JJ2000 licence and Sun's BSD licence
     * with a nuclear disclaimer, neither OSI-approved; so the scan rejects such
     * series (reason transfer_syntax_not_decodable=...) instead of accepting what conversion cannot decode.
     */
    public static boolean decodableName(String name) {
        return switch (name) {
            case "implicit-le", "explicit-le", "deflated-le", "explicit-be", "jpeg-lossless", "jpeg-lossless-sv1",
                    "rle" -> true;
            default -> false;
        };
    }

    public static boolean encapsulated(String uid) {
        return switch (name(uid)) {
            case "implicit-le", "explicit-le", "deflated-le", "explicit-be", "unknown" -> false;
            default -> true;
        };
    }
}
