package io.jcorn.protocol.http;

/**
 * How strictly a request head is read and how large it may be, with Gunicorn's flag names and
 * defaults. Decided once at start-up; the parser only reads it.
 *
 * @param requestLine      longest request line in bytes, 0 for no limit ({@code --limit-request-line})
 * @param requestFields    most header fields, 0 for no limit ({@code --limit-request-fields})
 * @param requestFieldSize longest header line in bytes, 0 for no limit ({@code --limit-request-field_size})
 * @param permitUnconventionalMethod accept any token as a method, also lower-case ones or ones
 *                         shorter than 3 or longer than 20 bytes ({@code --permit-unconventional-http-method})
 * @param casefoldMethod   upper-case the method before the app sees it ({@code --casefold-http-method})
 * @param permitObsoleteFolding join obsolete folded header lines with a space instead of refusing
 *                         them ({@code --permit-obsolete-folding})
 * @param headerMap        what to do with header names containing '_' ({@code --header-map})
 */
public record ParserOptions(int requestLine, int requestFields, int requestFieldSize,
                            boolean permitUnconventionalMethod, boolean casefoldMethod,
                            boolean permitObsoleteFolding, HeaderMap headerMap) {

    public static final ParserOptions DEFAULT = new ParserOptions(4094, 100, 8190);

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

    /** The given limits and Gunicorn's defaults for the rest. */
    public ParserOptions(int requestLine, int requestFields, int requestFieldSize) {
        this(requestLine, requestFields, requestFieldSize, false, false, false, HeaderMap.DROP);
    }

    public ParserOptions withMethodRules(boolean permitUnconventional, boolean casefold) {
        return new ParserOptions(requestLine, requestFields, requestFieldSize, permitUnconventional, casefold,
                permitObsoleteFolding, headerMap);
    }

    public ParserOptions withObsoleteFolding(boolean permit) {
        return new ParserOptions(requestLine, requestFields, requestFieldSize, permitUnconventionalMethod,
                casefoldMethod, permit, headerMap);
    }

    public ParserOptions withHeaderMap(HeaderMap map) {
        return new ParserOptions(requestLine, requestFields, requestFieldSize, permitUnconventionalMethod,
                casefoldMethod, permitObsoleteFolding, map);
    }
}
