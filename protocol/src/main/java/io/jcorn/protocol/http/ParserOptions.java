package io.jcorn.protocol.http;

/**
 * How strictly a request head is read and how large it may be, with Gunicorn's flag names and
 * defaults. Decided once at start-up; the parser only reads it.
 *
 * <p>The limits are kept as given; {@link #requestLineLimit()}, {@link #fieldBytes()},
 * {@link #fieldLineLimit()} and {@link #fieldsLimit()} say what Gunicorn 26.1 makes of them.
 *
 * @param requestLine      longest request line in bytes ({@code --limit-request-line})
 * @param requestFields    most header fields ({@code --limit-request-fields})
 * @param requestFieldSize longest header field in bytes, its CRLF included ({@code --limit-request-field_size})
 * @param permitUnconventionalMethod accept any token as a method, also lower-case ones or ones
 *                         shorter than 3 or longer than 20 bytes ({@code --permit-unconventional-http-method})
 * @param casefoldMethod   upper-case the method before the app sees it ({@code --casefold-http-method})
 * @param permitObsoleteFolding join obsolete folded header lines with a space instead of refusing
 *                         them ({@code --permit-obsolete-folding})
 * @param headerMap        what to do with header names containing '_' ({@code --header-map})
 * @param stripHeaderSpaces take spaces and tabs between a header name and its colon as not there
 *                         instead of refusing them ({@code --strip-header-spaces}, Gunicorn's, deprecated there)
 */
public record ParserOptions(int requestLine, int requestFields, int requestFieldSize,
                            boolean permitUnconventionalMethod, boolean casefoldMethod,
                            boolean permitObsoleteFolding, HeaderMap headerMap, boolean stripHeaderSpaces) {

    public static final ParserOptions DEFAULT = new ParserOptions(4094, 100, 8190);

    /** Gunicorn's longest request line, and the field size its 0 stands for. */
    public static final int MAX_LINE = 8190;
    /** What a request line limit of 0, "unlimited", still bounds a request line to, as Gunicorn 26.1 does. */
    public static final int UNLIMITED_LINE = 1024 * 1024;
    /** Gunicorn's most header fields, and what its field limit 0 stands for. */
    public static final int MAX_FIELDS = 32768;

    /**
     * Header names containing '_' would become the same environ key as the name with '-' (both
     * are HTTP_X_Y), so a client could pass one off as the other behind a proxy that only
     * filters the '-' spelling.
     */
    public enum HeaderMap {
        /** Leave the field out (Gunicorn's default). */
        DROP,
        /** Answer 400. */
        REFUSE,
        /** Keep it; it may overwrite the '-' spelling in the environ. */
        DANGEROUS
    }

    /**
     * The bytes a request line may have before its CRLF: {@code requestLine}, or at most
     * {@link #MAX_LINE}; 0 means {@link #UNLIMITED_LINE}.
     */
    public int requestLineLimit() {
        if (requestLine == 0) return UNLIMITED_LINE;
        return requestLine < 0 || requestLine > MAX_LINE ? MAX_LINE : requestLine;
    }

    /**
     * The bytes a header field may take, each of its lines with its CRLF (Gunicorn counts them):
     * {@code requestFieldSize}, or {@link #MAX_LINE} for 0 or less (not "unlimited").
     */
    public int fieldBytes() {
        return requestFieldSize <= 0 ? MAX_LINE : requestFieldSize;
    }

    /** The bytes a header line may have before its CRLF: {@link #fieldBytes()} less the CRLF. */
    public int fieldLineLimit() {
        return Math.max(0, fieldBytes() - 2);
    }

    /** The most header fields: {@code requestFields}, or {@link #MAX_FIELDS} for 0, less, or more. */
    public int fieldsLimit() {
        return requestFields <= 0 || requestFields > MAX_FIELDS ? MAX_FIELDS : requestFields;
    }

    /** The given limits and Gunicorn's defaults for the rest. */
    public ParserOptions(int requestLine, int requestFields, int requestFieldSize) {
        this(requestLine, requestFields, requestFieldSize, false, false, false, HeaderMap.DROP, false);
    }

    public ParserOptions withMethodRules(boolean permitUnconventional, boolean casefold) {
        return new ParserOptions(requestLine, requestFields, requestFieldSize, permitUnconventional, casefold,
                permitObsoleteFolding, headerMap, stripHeaderSpaces);
    }

    public ParserOptions withObsoleteFolding(boolean permit) {
        return new ParserOptions(requestLine, requestFields, requestFieldSize, permitUnconventionalMethod,
                casefoldMethod, permit, headerMap, stripHeaderSpaces);
    }

    public ParserOptions withHeaderMap(HeaderMap map) {
        return new ParserOptions(requestLine, requestFields, requestFieldSize, permitUnconventionalMethod,
                casefoldMethod, permitObsoleteFolding, map, stripHeaderSpaces);
    }

    public ParserOptions withHeaderSpacesStripped(boolean strip) {
        return new ParserOptions(requestLine, requestFields, requestFieldSize, permitUnconventionalMethod,
                casefoldMethod, permitObsoleteFolding, headerMap, strip);
    }
}
