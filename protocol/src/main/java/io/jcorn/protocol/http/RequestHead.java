package io.jcorn.protocol.http;

import java.util.List;

/**
 * A parsed request line and header section.
 *
 * @param method   the method token, as sent
 * @param target   the request-target, as sent (RAW_URI)
 * @param path     the path, still percent-encoded
 * @param query    the query without '?', "" if none
 * @param version  {@code "HTTP/1.0"} or {@code "HTTP/1.1"}
 * @param headers  the header fields, in order, obsolete folds joined; names containing '_' are already dropped unless {@code --header-map dangerous}
 * @param contentLength the body's length, 0 if the request has none, {@link #CHUNKED} if it is chunked
 */
public record RequestHead(String method, String target, String path, String query, String version,
                          List<Header> headers, long contentLength) {

    /** {@link #contentLength()} of a chunked body: its length is known only at its end. */
    public static final long CHUNKED = -1;

    /** Whether the body is chunked. */
    public boolean chunked() {
        return contentLength == CHUNKED;
    }

    /** The first value of a header, compared case-insensitively, or null. */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) return h.value();
        }
        return null;
    }
}
