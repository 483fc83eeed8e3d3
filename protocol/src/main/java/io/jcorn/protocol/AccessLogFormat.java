package io.jcorn.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An access log format ({@code --access-logformat}) split once into literal text and Gunicorn's
 * atoms: {@code %(h)s} is the atom {@code h}, {@code %({X-Request-Id}i)s} the request header
 * {@code X-Request-Id}, {@code %%} a '%'. The master checks the format at start-up; each worker
 * compiles it again and renders it per request.
 *
 * @param parts literal strings and {@link Atom}s, in order; empty for {@link #JSON}
 * @param json  whether each line is a JSON object with fixed field names instead
 */
public record AccessLogFormat(List<Object> parts, boolean json) {
    /** Gunicorn's default: the combined log format. */
    public static final String DEFAULT = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";
    /** The format keyword for one JSON object per line. */
    public static final String JSON = "json";
    private static final Set<String> ATOMS = Set.of("h", "l", "u", "t", "r", "m", "U", "q", "H", "s", "B", "b", "f",
            "a", "T", "M", "D", "L", "p");

    /**
     * One placeholder.
     *
     * @param name  a one-letter atom, or for a {@code {name}x} atom the kind {@code i}, {@code o} or {@code e}
     * @param field the header or variable name of a {@code {name}x} atom, else null
     */
    public record Atom(String name, String field) {}

    /** @throws IllegalArgumentException naming the bad placeholder */
    public static AccessLogFormat compile(String format) {
        if (format.equals(JSON)) return new AccessLogFormat(List.of(), true);
        List<Object> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                text.append(c);
            } else if (format.startsWith("%", i + 1)) {
                text.append('%');
                i++;
            } else {
                int end = format.indexOf(")s", i);
                if (!format.startsWith("(", i + 1) || end < 0) {
                    throw new IllegalArgumentException("a '%' at " + i + " starts no %(atom)s (write %% for a '%')");
                }
                if (!text.isEmpty()) parts.add(text.toString());
                text.setLength(0);
                parts.add(atom(format.substring(i + 2, end)));
                i = end + 1;
            }
        }
        if (!text.isEmpty()) parts.add(text.toString());
        return new AccessLogFormat(List.copyOf(parts), false);
    }

    private static Atom atom(String name) {
        if (ATOMS.contains(name)) return new Atom(name, null);
        int close = name.lastIndexOf('}');
        if (name.startsWith("{") && close == name.length() - 2 && close > 1 && "ioe".indexOf(name.charAt(close + 1)) >= 0) {
            return new Atom(name.substring(close + 1), name.substring(1, close));
        }
        throw new IllegalArgumentException("unknown atom %(" + name + ")s");
    }
}
