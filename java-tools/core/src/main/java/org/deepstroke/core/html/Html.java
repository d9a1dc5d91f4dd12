package org.deepstroke.core.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The two things every HTML report needs besides its template ({@link HtmlTemplate}): text escaped for HTML, and a
 * PNG inside the page as a data: URI, so a report is one file that can be mailed or archived.
 */
public final class Html {

    private Html() {
    }

    /** {@code &}, {@code <}, {@code >}, {@code "} and {@code '} as entities: safe in element text and attributes. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code data:image/png;base64,...} of the file's bytes, for an {@code <img src>}. */
    public static String pngDataUri(Path png) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
    }
}
