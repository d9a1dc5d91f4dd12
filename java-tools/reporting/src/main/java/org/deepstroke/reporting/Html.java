package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * The few HTML pieces the report needs: escaping, embedded pictures and tables. Hand-written on purpose: a template
 * engine (or commons-text for the escaping alone) would be a dependency for five lines.
 */
final class Html {

    private Html() {
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
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

    /** The picture inside the page (data: URI), so a report is one file that can be mailed or archived. */
    static String image(Path png, String caption) throws IOException {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        return "<figure><img alt=\"" + escape(caption) + "\" src=\"data:image/png;base64," + data + "\">"
                + "<figcaption>" + escape(caption) + "</figcaption></figure>\n";
    }

    /** A table, at most {@code maxRows} rows (the rest counted), cells escaped. */
    static String table(Tsv tsv, int maxRows) {
        StringBuilder html = new StringBuilder("<table><thead><tr>");
        for (String h : tsv.header()) {
            html.append("<th>").append(escape(h)).append("</th>");
        }
        html.append("</tr></thead><tbody>\n");
        List<List<String>> rows = tsv.rows();
        for (List<String> row : rows.subList(0, Math.min(maxRows, rows.size()))) {
            html.append("<tr>");
            for (String cell : row) {
                html.append("<td>").append(escape(cell)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
        if (rows.size() > maxRows) {
            html.append("<p class=\"note\">").append(rows.size() - maxRows)
                    .append(" more rows in the file.</p>\n");
        }
        return html.toString();
    }

    static String page(String title, String css, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + css + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }
}
