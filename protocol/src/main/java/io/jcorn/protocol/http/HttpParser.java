package io.jcorn.protocol.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request head (RFC 9112 §2-5) from a stream and checks it strictly: anything that could
 * be read two ways is refused with an {@link HttpError}, so no proxy in front and jcorn ever
 * disagree about where a request ends.
 *
 * <p>The stream should be buffered: the parser reads it a byte at a time, and leaves it at the
 * first byte of the body.
 */
public final class HttpParser {
    private static final int MAX_EMPTY_LINES_BEFORE_REQUEST = 8;
    private static final boolean[] TCHAR = new boolean[128];

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
     * Reads one request head.
     *
     * @return the head, or null if the stream ended cleanly before a request began
     * @throws HttpError the request is malformed or over a limit
     * @throws IOException the stream failed or ended inside the head
     */
    public RequestHead parse(InputStream in) throws IOException, HttpError {
        String requestLine = readRequestLine(in);
        if (requestLine == null) return null;
        int sp1 = requestLine.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpError(400, "Invalid request line");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = checkVersion(requestLine.substring(sp2 + 1));
        method = checkMethod(method);
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
    private String checkMethod(String method) throws HttpError {
        if (!isToken(method)) throw new HttpError(400, "Invalid method");
        if (!options.permitUnconventionalMethod()) {
            if (method.length() < 3 || method.length() > 20) throw new HttpError(400, "Unconventional method " + method);
            for (int i = 0; i < method.length(); i++) {
                char c = method.charAt(i);
                if ((c >= 'a' && c <= 'z') || c == '#') throw new HttpError(400, "Unconventional method " + method);
            }
        }
        return options.casefoldMethod() ? method.toUpperCase(java.util.Locale.ROOT) : method;
    }

    private static String checkVersion(String version) throws HttpError {
        if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) return version;
        if (version.length() == 8 && version.startsWith("HTTP/") && isDigit(version.charAt(5))
                && version.charAt(6) == '.' && isDigit(version.charAt(7))) {
            throw new HttpError(505, "Unsupported HTTP version " + version);
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

    private String readRequestLine(InputStream in) throws IOException, HttpError {
        for (int empty = 0; empty <= MAX_EMPTY_LINES_BEFORE_REQUEST; empty++) {
            String line = readLine(in, options.requestLine(), 414, empty == 0);
            if (line == null) return null;
            if (!line.isEmpty()) return line;
        }
        throw new HttpError(400, "Invalid request line");
    }

    private List<Header> readHeaders(InputStream in) throws IOException, HttpError {
        List<Header> headers = new ArrayList<>();
        int fields = 0;
        boolean lastDropped = false;
        while (true) {
            String line = readLine(in, options.requestFieldSize(), 431, false);
            if (line.isEmpty()) return headers;
            if (isBlank(line.charAt(0))) {
                if (!options.permitObsoleteFolding() || fields == 0) {
                    throw new HttpError(400, "Obsolete line folding is not accepted");
                }
                if (!lastDropped) unfold(headers, line);
                continue;
            }
            if (++fields > options.requestFields() && options.requestFields() > 0) throw new HttpError(431, "Too many header fields");
            Header header = parseHeader(line);
            lastDropped = header.name().indexOf('_') >= 0 && underscore(header) == null;
            if (!lastDropped) headers.add(header);
        }
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
    private static void unfold(List<Header> headers, String line) throws HttpError {
        Header last = headers.getLast();
        String more = parseValue(line, 0);
        String value = last.value().isEmpty() ? more : more.isEmpty() ? last.value() : last.value() + " " + more;
        headers.set(headers.size() - 1, new Header(last.name(), value));
    }

    static Header parseHeader(String line) throws HttpError {
        int colon = line.indexOf(':');
        if (colon <= 0) throw new HttpError(400, "Invalid header line");
        String name = line.substring(0, colon);
        if (!isToken(name)) throw new HttpError(400, "Invalid header name");
        return new Header(name, parseValue(line, colon + 1));
    }

    /** The value from {@code start}, HTAB and SP trimmed; control bytes but HTAB refused. */
    private static String parseValue(String line, int start) throws HttpError {
        int end = line.length();
        while (start < end && isBlank(line.charAt(start))) start++;
        while (end > start && isBlank(line.charAt(end - 1))) end--;
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f) throw new HttpError(400, "Invalid header value");
        }
        return line.substring(start, end);
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
     * One line without its CRLF, bytes as ISO-8859-1 chars. Null if the stream ended before the
     * line's first byte and {@code eofAllowed}; a bare CR or LF is an error.
     */
    static String readLine(InputStream in, int limit, int tooLong, boolean eofAllowed)
            throws IOException, HttpError {
        int max = limit <= 0 ? Integer.MAX_VALUE : limit;
        byte[] buf = new byte[Math.min(max, 256) + 1];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0 && eofAllowed) return null;
                throw new java.io.EOFException("connection closed inside the request head");
            }
            if (b == '\r') {
                int next = in.read();
                if (next < 0) throw new java.io.EOFException("connection closed inside the request head");
                if (next != '\n') throw new HttpError(400, "Bare CR in request head");
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') throw new HttpError(400, "Bare LF in request head");
            if (n == max) throw new HttpError(tooLong, tooLong == 414 ? "Request line too long" : "Header line too long");
            if (n == buf.length) buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) max + 1, buf.length * 2L));
            buf[n++] = (byte) b;
        }
    }

    static boolean isTokenChar(char c) {
        return c < 128 && TCHAR[c];
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !TCHAR[c]) return false;
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
