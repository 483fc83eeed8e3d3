package io.jcorn.protocol.http;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a request head (RFC 9112 §2-5) and checks it strictly: anything that could be read two
 * ways is refused with an {@link HttpError}, so no proxy in front and jcorn ever disagree about
 * where a request ends.
 *
 * <p>Each line is found and checked in place in the connection's {@link RequestInput} window, as
 * a function of its bytes; a line that is not all there yet is waited for, and refused as soon as
 * it is over its limit. Lines are checked as they complete, so a bad request line is answered
 * without waiting for the headers.
 */
public final class HttpParser {
    private static final int MAX_EMPTY_LINES_BEFORE_REQUEST = 8;
    private static final boolean[] TCHAR = new boolean[256];
    private static final byte[] HTTP_11 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_10 = "HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    // Eight bytes at a time where most bytes are plain: one word test instead of eight byte tests.
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private final ParserOptions options;

    public HttpParser(ParserOptions options) {
        this.options = options;
    }

    /**
     * Reads one request head, leaving {@code in} at the first byte of the body.
     *
     * @return the head, or null if the stream ended cleanly before a request began
     * @throws HttpError the request is malformed or over a limit
     * @throws IOException the stream failed or ended inside the head
     */
    public RequestHead parse(RequestInput in) throws IOException, HttpError {
        int end = requestLineEnd(in);
        if (end < 0) return null;
        byte[] b = in.buffer();
        int from = in.position();
        int sp1 = indexOf(b, from, end, ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, end, ' ');
        if (sp1 <= from || sp2 < 0 || indexOf(b, sp2 + 1, end, ' ') >= 0) {
            throw new HttpError(400, "Invalid request line");
        }
        String version = version(b, sp2 + 1, end);
        String method = method(b, from, sp1);
        String target = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        in.consume(end + 2 - from);
        List<Header> headers = readHeaders(in);
        return head(method, target, version, headers);
    }

    private RequestHead head(String method, String target, String version, List<Header> headers) throws HttpError {
        String pathAndQuery = pathAndQuery(method, target);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        checkHost(version, headers);
        return new RequestHead(method, target, path, query, version, headers, contentLength(version, headers));
    }

    /**
     * A token (RFC 9110 §9.1); unless unconventional methods are permitted, also 3 to 20 bytes
     * with no lower-case letter and no '#', as Gunicorn checks: every registered method fits.
     */
    private String method(byte[] b, int from, int to) throws HttpError {
        if (!isToken(b, from, to)) throw new HttpError(400, "Invalid method");
        String method = KnownTokens.METHODS.string(b, from, to);
        if (!options.permitUnconventionalMethod()) {
            int length = to - from;
            if (length < 3 || length > 20) throw new HttpError(400, "Unconventional method " + method);
            for (int i = from; i < to; i++) {
                if ((b[i] >= 'a' && b[i] <= 'z') || b[i] == '#') throw new HttpError(400, "Unconventional method " + method);
            }
        }
        return options.casefoldMethod() ? method.toUpperCase(java.util.Locale.ROOT) : method;
    }

    private static String version(byte[] b, int from, int to) throws HttpError {
        if (Arrays.equals(b, from, to, HTTP_11, 0, 8)) return "HTTP/1.1";
        if (Arrays.equals(b, from, to, HTTP_10, 0, 8)) return "HTTP/1.0";
        if (to - from == 8 && Arrays.equals(b, from, from + 5, HTTP_11, 0, 5) && isDigit(b[from + 5])
                && b[from + 6] == '.' && isDigit(b[from + 7])) {
            throw new HttpError(505, "Unsupported HTTP version " + new String(b, from, 8, StandardCharsets.ISO_8859_1));
        }
        throw new HttpError(400, "Invalid HTTP version");
    }

    /** The origin-form part of a request-target (RFC 9112 §3.2). */
    private static String pathAndQuery(String method, String target) throws HttpError {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '#') throw new HttpError(400, "Invalid request target");
        }
        if (target.startsWith("/")) return target;
        if (target.equals("*") && method.equals("OPTIONS")) return "";
        if (method.equals("CONNECT") && !target.isEmpty() && !target.contains("/")) return "";
        int scheme = target.indexOf("://");
        if (scheme > 0) {
            int slash = target.indexOf('/', scheme + 3);
            int question = target.indexOf('?', scheme + 3);
            if (slash < 0 && question < 0) return "/";
            if (slash < 0 || (question >= 0 && question < slash)) return "/" + target.substring(question);
            return target.substring(slash);
        }
        throw new HttpError(400, "Invalid request target");
    }

    /** The end of the request line, after up to 8 empty lines; -1 if the stream ended before it. */
    private int requestLineEnd(RequestInput in) throws IOException, HttpError {
        for (int empty = 0; empty <= MAX_EMPTY_LINES_BEFORE_REQUEST; empty++) {
            int end = lineEnd(in, options.requestLine(), 414, empty == 0);
            if (end != in.position()) return end;
            in.consume(2);
        }
        throw new HttpError(400, "Invalid request line");
    }

    private List<Header> readHeaders(RequestInput in) throws IOException, HttpError {
        List<Header> headers = new ArrayList<>(16);
        int fields = 0;
        boolean lastDropped = false;
        while (true) {
            Header plain = plainField(in);
            if (plain != null) {
                if (++fields > options.requestFields() && options.requestFields() > 0) throw new HttpError(431, "Too many header fields");
                lastDropped = plain.name().indexOf('_') >= 0 && underscore(plain) == null;
                if (!lastDropped) headers.add(plain);
                continue;
            }
            int end = lineEnd(in, options.requestFieldSize(), 431, false);
            byte[] b = in.buffer();
            int from = in.position();
            in.consume(end + 2 - from);
            if (end == from) return headers;
            if (isBlank(b[from])) {
                if (!options.permitObsoleteFolding() || fields == 0) {
                    throw new HttpError(400, "Obsolete line folding is not accepted");
                }
                if (!lastDropped) unfold(headers, b, from, end);
                continue;
            }
            if (++fields > options.requestFields() && options.requestFields() > 0) throw new HttpError(431, "Too many header fields");
            Header header = parseHeader(b, from, end);
            lastDropped = header.name().indexOf('_') >= 0 && underscore(header) == null;
            if (!lastDropped) headers.add(header);
        }
    }

    /**
     * The common case in one pass over its bytes: a field line that is whole in the window, within
     * the limit, and has nothing to refuse or unfold. Null for anything else (the end of the
     * head, more bytes to wait for, an error), which the exact path then decides as if this had
     * not looked: the outcome never depends on which path took a line.
     */
    private Header plainField(RequestInput in) {
        byte[] b = in.buffer();
        int from = in.position(), to = in.limit();
        int colon = from;
        while (colon < to && TCHAR[b[colon] & 0xff]) colon++;
        if (colon == from || colon == to || b[colon] != ':') return null;
        int start = colon + 1;
        while (start < to && isBlank(b[start])) start++;
        int cr = start;
        while (cr + 8 <= to && !hasByteBelow(word(b, cr), ' ') && !hasByte(word(b, cr), 0x7f)) cr += 8;
        for (; cr < to && b[cr] != '\r'; cr++) {
            if ((b[cr] < ' ' && b[cr] >= 0 && b[cr] != '\t') || b[cr] == 0x7f) return null;
        }
        int max = options.requestFieldSize();
        if (cr + 1 >= to || b[cr + 1] != '\n' || (max > 0 && cr - from > max)) return null;
        int end = cr;
        while (end > start && isBlank(b[end - 1])) end--;
        Header field = new Header(KnownTokens.HEADER_NAMES.string(b, from, colon),
                new String(b, start, end - start, StandardCharsets.ISO_8859_1));
        in.consume(cr + 2 - from);
        return field;
    }

    /** The field itself, or null to drop it, per {@code --header-map}. */
    private Header underscore(Header header) throws HttpError {
        return switch (options.headerMap()) {
            case DROP -> null;
            case REFUSE -> throw new HttpError(400, "Header name with '_': " + header.name());
            case DANGEROUS -> header;
        };
    }

    /** RFC 9112 §5.2: a folded line continues the previous value, joined by one space. */
    private static void unfold(List<Header> headers, byte[] b, int from, int to) throws HttpError {
        Header last = headers.getLast();
        String more = parseValue(b, from, to);
        String value = last.value().isEmpty() ? more : more.isEmpty() ? last.value() : last.value() + " " + more;
        headers.set(headers.size() - 1, new Header(last.name(), value));
    }

    /** {@code name ":" value} from bytes {@code from..to} of a line without its CRLF. */
    static Header parseHeader(byte[] b, int from, int to) throws HttpError {
        int colon = from;
        while (colon < to && TCHAR[b[colon] & 0xff]) colon++;
        if (colon == to || b[colon] != ':' || colon == from) {
            colon = indexOf(b, from, to, ':');
            throw new HttpError(400, colon <= from ? "Invalid header line" : "Invalid header name");
        }
        return new Header(KnownTokens.HEADER_NAMES.string(b, from, colon), parseValue(b, colon + 1, to));
    }

    /** The value in bytes {@code from..to}, HTAB and SP trimmed; control bytes but HTAB refused. */
    private static String parseValue(byte[] b, int from, int to) throws HttpError {
        while (from < to && isBlank(b[from])) from++;
        while (to > from && isBlank(b[to - 1])) to--;
        int i = from;
        while (i + 8 <= to && !hasByteBelow(word(b, i), ' ') && !hasByte(word(b, i), 0x7f)) i += 8;
        for (; i < to; i++) {
            byte c = b[i];
            if ((c < ' ' && c >= 0 && c != '\t') || c == 0x7f) throw new HttpError(400, "Invalid header value");
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static void checkHost(String version, List<Header> headers) throws HttpError {
        int hosts = 0;
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Host")) hosts++;
        }
        if (hosts > 1) throw new HttpError(400, "More than one Host header");
        if (hosts == 0 && version.equals("HTTP/1.1")) throw new HttpError(400, "Missing Host header");
    }

    /** The body's framing: its length, or {@link RequestHead#CHUNKED} (RFC 9112 §6). */
    private static long contentLength(String version, List<Header> headers) throws HttpError {
        long length = -1;
        boolean encoded = false;
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Transfer-Encoding")) encoded = true;
            if (!h.name().equalsIgnoreCase("Content-Length")) continue;
            long value = parseLength(h.value());
            if (length >= 0 && value != length) throw new HttpError(400, "Conflicting Content-Length");
            length = value;
        }
        if (!encoded) return Math.max(length, 0);
        if (length >= 0) throw new HttpError(400, "Both Content-Length and Transfer-Encoding");
        if (!version.equals("HTTP/1.1")) throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
        checkCodings(headers);
        return RequestHead.CHUNKED;
    }

    /**
     * Chunked must come last and once, or the body's end is unknown (400); a coding jcorn does not
     * know is 501. Compressed bodies reach the app still compressed, as with Gunicorn.
     */
    private static void checkCodings(List<Header> headers) throws HttpError {
        boolean chunked = false;
        for (Header h : headers) {
            if (!h.name().equalsIgnoreCase("Transfer-Encoding")) continue;
            for (String item : h.value().split(",", -1)) {
                String coding = item.strip().toLowerCase(java.util.Locale.ROOT);
                if (chunked) throw new HttpError(400, "Transfer-Encoding with a coding after chunked");
                switch (coding) {
                    case "chunked" -> chunked = true;
                    case "gzip", "x-gzip", "deflate", "compress", "x-compress", "identity" -> { }
                    case "" -> throw new HttpError(400, "Empty Transfer-Encoding element");
                    default -> throw new HttpError(501, "Unsupported transfer coding " + coding);
                }
            }
        }
        if (!chunked) throw new HttpError(400, "Transfer-Encoding without chunked last");
    }

    private static long parseLength(String value) throws HttpError {
        if (value.isEmpty() || value.length() > 18) throw new HttpError(400, "Invalid Content-Length");
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) throw new HttpError(400, "Invalid Content-Length");
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * Finds the line that starts at the window's position, reading more of the stream until its
     * CRLF is in the window, and returns the index of its CR. A line longer than {@code limit}
     * bytes (0: no limit) is refused with {@code tooLong} as soon as it is, a bare CR or LF with
     * 400. Returns -1 if the stream ended before the line's first byte and {@code eofAllowed}.
     */
    static int lineEnd(RequestInput in, int limit, int tooLong, boolean eofAllowed) throws IOException, HttpError {
        int max = limit <= 0 ? Integer.MAX_VALUE : limit;
        int scanned = 0;
        while (true) {
            byte[] b = in.buffer();
            int from = in.position(), to = in.limit();
            int i = from + scanned;
            int plain = (int) Math.min(to, (long) from + max); // bytes before here are within the limit
            while (i + 8 <= plain) {
                long w = word(b, i);
                long found = bytesEqual(w, '\r') | bytesEqual(w, '\n');
                if (found != 0) {
                    i += Long.numberOfTrailingZeros(found) >>> 3; // the first CR or LF: the byte loop takes it
                    break;
                }
                i += 8;
            }
            for (; i < to; i++) {
                byte c = b[i];
                if (c == '\r') {
                    if (i + 1 == to) break;
                    if (b[i + 1] != '\n') throw new HttpError(400, "Bare CR in request head");
                    return i;
                }
                if (c == '\n') throw new HttpError(400, "Bare LF in request head");
                if (i - from == max) throw new HttpError(tooLong, tooLong == 414 ? "Request line too long" : "Header line too long");
            }
            scanned = i - from;
            if (!in.fill()) {
                if (in.position() == in.limit() && eofAllowed) return -1;
                throw new java.io.EOFException("connection closed inside the request head");
            }
        }
    }

    static boolean isTokenChar(char c) {
        return c < 256 && TCHAR[c];
    }

    private static boolean isToken(byte[] b, int from, int to) {
        if (from == to) return false;
        for (int i = from; i < to; i++) {
            if (!TCHAR[b[i] & 0xff]) return false;
        }
        return true;
    }

    private static long word(byte[] b, int i) {
        return (long) WORDS.get(b, i);
    }

    /** Whether one of the eight bytes of {@code word} is {@code c}. */
    private static boolean hasByte(long word, int c) {
        return bytesEqual(word, c) != 0;
    }

    /**
     * Non-zero if one of the eight bytes of {@code word} is {@code c}; its lowest set bit is the
     * high bit of the first such byte (bits above it may be set wrongly).
     */
    private static long bytesEqual(long word, int c) {
        long x = word ^ (ONES * c);
        return (x - ONES) & ~x & HIGHS;
    }

    /** Whether one of the eight bytes of {@code word} is below {@code n} (at most 128), unsigned. */
    private static boolean hasByteBelow(long word, int n) {
        return ((word - ONES * n) & ~word & HIGHS) != 0;
    }

    private static int indexOf(byte[] b, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t';
    }
}
