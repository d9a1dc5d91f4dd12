package org.deepstroke.core.html;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.Guard;
import com.github.mustachejava.reflect.MissingWrapper;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An HTML page written from a Mustache template (Mustache.java) on the class path: the markup stays HTML in the
 * resource, the Java only builds the model (records, lists, and strings already formatted: numbers are formatted
 * in Java with Locale.ROOT). {@code {{name}}} is escaped with {@link Html#escape}, {@code {{{name}}}} is inserted
 * as it is; {@code {{>name}}} includes name.mustache from the same folder and {@code {{<name}}...{{/name}}} fills
 * its {@code {{$block}}}s. A name the model lacks fails the render (naming the template and line) instead of
 * printing nothing. Nothing is compiled to Java classes at build or run time and no clock or locale is read: the
 * same model gives the same bytes. Mustache.java keeps the newline after a partial or comment tag; a section tag
 * alone on its line leaves no line.
 */
public final class HtmlTemplate {

    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory(name -> {
        InputStream in = HtmlTemplate.class.getClassLoader().getResourceAsStream(name);
        return in == null ? null : new InputStreamReader(in, StandardCharsets.UTF_8);
    }) {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(Html.escape(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static {
        FACTORY.setObjectHandler(new ReflectionObjectHandler() {
            @Override
            protected MissingWrapper createMissingWrapper(String name, List<Guard> guards) {
                throw new MustacheException("the model has no value named " + name);
            }
        });
    }

    private final Mustache mustache;

    private HtmlTemplate(Mustache mustache) {
        this.mustache = mustache;
    }

    /** The template {@code <owner's package folder>/<name>}, e.g. of(ReportPage.class, "report.mustache"). */
    public static HtmlTemplate of(Class<?> owner, String name) {
        return new HtmlTemplate(FACTORY.compile(owner.getPackageName().replace('.', '/') + "/" + name));
    }

    public String render(Object model) {
        StringWriter out = new StringWriter();
        mustache.execute(out, model);
        return out.toString();
    }
}
