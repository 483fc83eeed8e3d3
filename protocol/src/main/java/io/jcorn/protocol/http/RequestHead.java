package io.jcorn.protocol.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A parsed request line and header section.
 *
 * <p>The header fields are kept in one flat array, each as its name (as sent), its value and its
 * environ key ({@code HTTP_USER_AGENT}, {@code CONTENT_TYPE}): a request carries a dozen of them
 * and the worker reads each once, so a record per field and a list of them would only be garbage.
 * Names and keys of common fields are shared constants (see {@link KnownTokens}).
 *
 * <p>Built by {@link HttpParser}, which fills the same head again for a connection's next request
 * (see {@link HttpParser#parse(RequestInput, RequestHead)}); until then it does not change.
 */
public final class RequestHead {

    /** {@link #contentLength()} of a chunked body: its length is known only at its end. */
    public static final long CHUNKED = -1;

    private static final int NAME = 0, VALUE = 1, KEY = 2, STRIDE = 3;

    private String method;
    private String target;
    private String path;
    private String query;
    private String version;
    private String[] fields;
    private int count;
    private long contentLength;

    /**
     * @param method   the method token, as sent
     * @param target   the request-target, as sent (RAW_URI)
     * @param path     the path, still percent-encoded
     * @param query    the query without '?', "" if none
     * @param version  {@code "HTTP/1.0"} or {@code "HTTP/1.1"}
     * @param headers  the header fields, in order, obsolete folds joined; names containing '_' are already dropped unless {@code --header-map dangerous}
     * @param contentLength the body's length, 0 if the request has none, {@link #CHUNKED} if it is chunked
     */
    public RequestHead(String method, String target, String path, String query, String version,
                       List<Header> headers, long contentLength) {
        this(method, target, path, query, version, headers.size());
        for (Header h : headers) add(h.name(), environKey(h.name()), h.value());
        this.contentLength = contentLength;
    }

    /** A head without fields yet, for the parser to add them to. */
    RequestHead(String method, String target, String path, String query, String version, int capacity) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.query = query;
        this.version = version;
        this.fields = new String[STRIDE * Math.max(capacity, 1)];
    }

    /** This head emptied for another request, its field array kept. */
    RequestHead reset(String method, String target, String path, String query, String version) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.query = query;
        this.version = version;
        Arrays.fill(fields, 0, count * STRIDE, null);
        count = 0;
        contentLength = 0;
        return this;
    }

    void add(String name, String key, String value) {
        if (count * STRIDE == fields.length) fields = Arrays.copyOf(fields, fields.length * 2);
        int at = count++ * STRIDE;
        fields[at + NAME] = name;
        fields[at + VALUE] = value;
        fields[at + KEY] = key;
    }

    /** RFC 9112 §5.2: a folded line continues the last field's value, joined by one space. */
    void continueLastValue(String more) {
        int at = (count - 1) * STRIDE + VALUE;
        String value = fields[at];
        fields[at] = value.isEmpty() ? more : more.isEmpty() ? value : value + " " + more;
    }

    void contentLength(long length) {
        this.contentLength = length;
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    public String path() {
        return path;
    }

    public String query() {
        return query;
    }

    public String version() {
        return version;
    }

    /** The body's length, 0 if the request has none, {@link #CHUNKED} if it is chunked. */
    public long contentLength() {
        return contentLength;
    }

    /** Whether the body is chunked. */
    public boolean chunked() {
        return contentLength == CHUNKED;
    }

    /** How many header fields there are; they are numbered from 0 in the order sent. */
    public int fieldCount() {
        return count;
    }

    /** The name of field {@code i}, its case as sent. */
    public String fieldName(int i) {
        return fields[Objects.checkIndex(i, count) * STRIDE + NAME];
    }

    /** The value of field {@code i}, without surrounding whitespace. */
    public String fieldValue(int i) {
        return fields[Objects.checkIndex(i, count) * STRIDE + VALUE];
    }

    /** The environ key of field {@code i}: see {@link #environKey(String)}. */
    public String environKey(int i) {
        return fields[Objects.checkIndex(i, count) * STRIDE + KEY];
    }

    /** The first value of a header, compared case-insensitively, or null. */
    public String header(String name) {
        for (int at = 0; at < count * STRIDE; at += STRIDE) {
            if (fields[at + NAME].equalsIgnoreCase(name)) return fields[at + VALUE];
        }
        return null;
    }

    /** The header fields in order, as a new list. */
    public List<Header> headers() {
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) headers.add(new Header(fieldName(i), fieldValue(i)));
        return headers;
    }

    /**
     * The environ key of a header name (protocol/SPEC.md): {@code HTTP_} and the name upper-cased
     * with '-' made '_', except {@code CONTENT_TYPE} and {@code CONTENT_LENGTH}, which go without
     * the prefix. Only the fields themselves take those two: {@code Content_Length} (passed on by
     * {@code --header-map dangerous}) is {@code HTTP_CONTENT_LENGTH}, as in Gunicorn.
     */
    public static String environKey(String name) {
        if (name.equalsIgnoreCase("Content-Type")) return "CONTENT_TYPE";
        if (name.equalsIgnoreCase("Content-Length")) return "CONTENT_LENGTH";
        byte[] key = new byte[5 + name.length()];
        key[0] = 'H';
        key[1] = key[2] = 'T';
        key[3] = 'P';
        key[4] = '_';
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            key[5 + i] = (byte) (c == '-' ? '_' : (c >= 'a' && c <= 'z') ? c - 32 : c);
        }
        return new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestHead h && method.equals(h.method) && target.equals(h.target)
                && path.equals(h.path) && query.equals(h.query) && version.equals(h.version)
                && contentLength == h.contentLength
                && Arrays.equals(fields, 0, count * STRIDE, h.fields, 0, h.count * STRIDE);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, target, path, query, version, contentLength, headers());
    }

    @Override
    public String toString() {
        return "RequestHead[method=" + method + ", target=" + target + ", path=" + path + ", query=" + query
                + ", version=" + version + ", headers=" + headers() + ", contentLength=" + contentLength + "]";
    }
}
