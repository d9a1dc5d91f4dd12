package org.deepstroke.core.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.mustachejava.MustacheException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlTemplateTest {

    record Row(List<String> cells) {
    }

    record Model(String title, String markup, List<Row> rows, String note) {
    }

    @TempDir
    Path dir;

    @Test
    void escapesTheFiveCharactersOnceEverywhere() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&#39;R&amp;D&#39;&lt;/a&gt; ±1\n",
                Html.escape("<a href=\"x\">'R&D'</a> ±1\n"));
    }

    @Test
    void valuesAreEscapedMarkupIsNotAndStandaloneTagsLeaveNoLines() {
        HtmlTemplate t = HtmlTemplate.of(HtmlTemplateTest.class, "sample.mustache");
        Model model = new Model("a<b & \"c\"", "<hr>", List.of(new Row(List.of("1", "<2>")), new Row(List.of())),
                null);
        String html = t.render(model);
        assertEquals("<h1 title=\"a&lt;b &amp; &quot;c&quot;\">a&lt;b &amp; &quot;c&quot;</h1><hr>\n"
                + "<tr><td>1</td><td>&lt;2&gt;</td></tr>\n<tr></tr>\n", html);
        assertEquals(html, t.render(model), "same model, same text");
        assertTrue(t.render(new Model("", "", List.of(), "x'y")).endsWith("\n<p>x&#39;y</p>\n"));
    }

    @Test
    void aNameTheModelLacksFailsTheRender() {
        HtmlTemplate t = HtmlTemplate.of(HtmlTemplateTest.class, "misspelt.mustache");
        assertTrue(t.render(new Model("t", "", List.of(), null)).startsWith("<p>t</p>"), "never reached: not checked");
        MustacheException e = assertThrows(MustacheException.class,
                () -> t.render(new Model("t", "", List.of(new Row(List.of())), null)));
        assertTrue(e.getMessage().contains("cell") && e.getMessage().contains("misspelt.mustache:2"), e.getMessage());
    }

    @Test
    void pngBecomesADataUri() throws Exception {
        Path png = Files.write(dir.resolve("x.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertEquals("data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png)),
                Html.pngDataUri(png));
    }
}
