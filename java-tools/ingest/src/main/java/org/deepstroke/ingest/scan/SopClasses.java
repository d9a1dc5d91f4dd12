package org.deepstroke.ingest.scan;

/** Short names for the SOP classes the scan meets (standard UIDs; outputs carry only these names). */
public final class SopClasses {

    private SopClasses() {
    }

    public static String name(String uid) {
        if (uid == null || uid.isBlank()) {
            return "unknown";
        }
        String u = uid.strip();
        return switch (u) {
            case "1.2.840.10008.5.1.4.1.1.2" -> "ct-image";
            case "1.2.840.10008.5.1.4.1.1.2.1" -> "enhanced-ct";
            case "1.2.840.10008.5.1.4.1.1.2.2" -> "legacy-enhanced-ct";
            case "1.2.840.10008.5.1.4.1.1.4" -> "mr-image";
            case "1.2.840.10008.5.1.4.1.1.4.1" -> "enhanced-mr";
            case "1.2.840.10008.5.1.4.1.1.1" -> "cr-image";
            case "1.2.840.10008.5.1.4.1.1.88.67" -> "dose-report";
            case "1.2.840.10008.5.1.4.1.1.11.1" -> "presentation-state";
            default -> {
                if (u.startsWith("1.2.840.10008.5.1.4.1.1.7")) {
                    yield "secondary-capture";
                }
                if (u.startsWith("1.2.840.10008.5.1.4.1.1.88.")) {
                    yield "structured-report";
                }
                yield "other";
            }
        };
    }
}
