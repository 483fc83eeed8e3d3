package io.jcorn.protocol.http;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    // Eight bytes at a time where most bytes are plain: one word test instead of eight byte tests.
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] HTTP_11 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    private static final long HTTP_11_WORD = word(HTTP_11, 0);
    private static final long HTTP_10_WORD = word("HTTP/1.0".getBytes(StandardCharsets.US_ASCII), 0);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private final ParserOptions options;
    // what the options' limits come to, worked out once
    private final int requestLineLimit, fieldLineLimit, fieldBytes, fieldsLimit;

    public HttpParser(ParserOptions options) {
        this.options = options;
        this.requestLineLimit = options.requestLineLimit();
        this.fieldLineLimit = options.fieldLineLimit();
        this.fieldBytes = options.fieldBytes();
        this.fieldsLimit = options.fieldsLimit();
    }

    /**
     * Reads one request head, leaving {@code in} at the first byte of the body.
     *
     * @return the head, or null if the stream ended cleanly before a request began
     * @throws HttpError the request is malformed or over a limit
     * @throws IOException the stream failed or ended inside the head
     */
    public RequestHead parse(RequestInput in) throws IOException, HttpError {
        return parse(in, null);
    }

    /**
     * Reads one request head into {@code reuse}, the last head of the same connection, which its
     * caller is done with (a connection's requests come one after the other), or into a new head
     * if it is null: a keep-alive connection's requests then allocate only their strings.
     *
     * @return the head, or null if the stream ended cleanly before a request began
     * @throws HttpError the request is malformed or over a limit ({@code reuse} is then unusable)
     * @throws IOException the stream failed or ended inside the head
     */
    public RequestHead parse(RequestInput in, RequestHead reuse) throws IOException, HttpError {
        int end = requestLineEnd(in);
        if (end < 0) return null;
        byte[] b = in.buffer();
        int from = in.position();
        int sp1 = indexOf(b, from, end, ' ');
        // the target's bytes are checked on the way to its end, but refused only later
        int stop = sp1 < 0 ? end : targetEnd(b, sp1 + 1, end);
        boolean validTarget = stop < end && b[stop] == ' ';
        int sp2 = validTarget ? stop : indexOf(b, stop, end, ' ');
        if (sp1 <= from || sp2 < 0 || indexOf(b, sp2 + 1, end, ' ') >= 0) {
            throw new HttpError(400, "Invalid request line");
        }
        String version = version(b, sp2 + 1, end);
        String method = method(b, from, sp1);
        String target = latin1(b, sp1 + 1, sp2);
        in.consume(end + 2 - from);
        String pathAndQuery = validTarget ? pathAndQuery(method, target) : null;
        int q = pathAndQuery == null ? -1 : pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        RequestHead head = reuse != null ? reuse.reset(method, target, path, query, version)
                : new RequestHead(method, target, path, query, version, 16);
        readHeaders(in, head);
        // refused only now, as it always was: a bad header line is answered first
        if (pathAndQuery == null) throw new HttpError(400, "Invalid request target");
        head.contentLength(checkFraming(head));
        return head;
    }

    /**
     * A token (RFC 9110 §9.1); unless unconventional methods are permitted, also 3 to 20 bytes
     * with no lower-case letter and no '#', as Gunicorn checks: every registered method fits.
     */
    private String method(byte[] b, int from, int to) throws HttpError {
        // the registered methods pass every check, and are upper-case already
        int known = KnownTokens.METHODS.find(b, from, to);
        if (known >= 0) return KnownTokens.METHODS.word(known);
        if (!isToken(b, from, to)) throw new HttpError(400, "Invalid method");
        String method = latin1(b, from, to);
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
        long version = to - from == 8 ? word(b, from) : 0;
        if (version == HTTP_11_WORD) return "HTTP/1.1";
        if (version == HTTP_10_WORD) return "HTTP/1.0";
        if (to - from == 8 && Arrays.equals(b, from, from + 5, HTTP_11, 0, 5) && isDigit(b[from + 5])
                && b[from + 6] == '.' && isDigit(b[from + 7])) {
            throw new HttpError(505, "Unsupported HTTP version " + new String(b, from, 8, StandardCharsets.ISO_8859_1));
        }
        throw new HttpError(400, "Invalid HTTP version");
    }

    /**
     * The index of the first byte from {@code from} that cannot stand in a request-target (all
     * visible ASCII but '#'), {@code to} if there is none.
     */
    private static int targetEnd(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long w = word(b, i);
            long found = bytesBelow(w, '!') | bytesEqual(w, 0x7f) | bytesEqual(w, '#');
            if ((found | (w & HIGHS)) != 0) break;
        }
        while (i < to && b[i] > ' ' && b[i] != 0x7f && b[i] != '#') i++;
        return i;
    }

    /** The origin-form part of a valid request-target (RFC 9112 §3.2), null if it has none. */
    private static String pathAndQuery(String method, String target) {
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
        return null;
    }

    /** The end of the request line, after up to 8 empty lines; -1 if the stream ended before it. */
    private int requestLineEnd(RequestInput in) throws IOException, HttpError {
        for (int empty = 0; empty <= MAX_EMPTY_LINES_BEFORE_REQUEST; empty++) {
            int end = lineEnd(in, requestLineLimit, 414, empty == 0);
            if (end != in.position()) return end;
            in.consume(2);
        }
        throw new HttpError(400, "Invalid request line");
    }

    private void readHeaders(RequestInput in, RequestHead head) throws IOException, HttpError {
        int fields = 0;
        boolean lastDropped = false;
        int fieldLength = 0; // the last field's bytes, CRLFs and folded lines included
        while (true) {
            // a folded field's lines count together against the field size: the exact path adds them up
            int plain = options.permitObsoleteFolding() ? 0 : plainFields(in, head, fields);
            if (plain != 0) {
                fields += plain >>> 1;
                lastDropped = (plain & 1) != 0;
            }
            int end = lineEnd(in, fieldLineLimit, 431, false);
            byte[] b = in.buffer();
            int from = in.position();
            in.consume(end + 2 - from);
            if (end == from) return;
            if (isBlank(b[from])) {
                if (!options.permitObsoleteFolding() || fields == 0) {
                    throw new HttpError(400, "Obsolete line folding is not accepted");
                }
                fieldLength += end + 2 - from;
                if (fieldLength > fieldBytes) throw new HttpError(431, "Header field too long");
                if (!lastDropped) head.continueLastValue(parseValue(b, from, end));
                continue;
            }
            if (++fields > fieldsLimit) throw new HttpError(431, "Too many header fields");
            fieldLength = end + 2 - from;
            int colon = nameEnd(b, from, end, options.stripHeaderSpaces());
            int name = withoutBlanks(b, from, colon);
            String value = parseValue(b, colon + 1, end);
            lastDropped = !add(head, KnownTokens.HEADER_NAMES.find(b, from, name), b, from, name, value);
        }
    }

    /**
     * The common case, each line in one pass over its bytes: reads field lines for as long as
     * they are whole in the window, within the limits, and have nothing to refuse or unfold. The
     * line it stops at (the end of the head, one to wait for, an error) the exact path then
     * decides as if this had not looked: the outcome never depends on which path took a line.
     *
     * @param fields how many field lines were read before
     * @return how many lines it read, times two, plus one if the last of them was dropped
     */
    private int plainFields(RequestInput in, RequestHead head, int fields) throws HttpError {
        byte[] b = in.buffer();
        int pos = in.position(), to = in.limit();
        int most = fieldsLimit - fields;
        int max = fieldLineLimit;
        int read = 0;
        boolean dropped = false;
        for (; read < most; read++) {
            int colon = colonOrControl(b, pos, to);
            if (colon == pos || colon == to || b[colon] != ':') break;
            // a known name is a token: only the others need their bytes checked
            int known = KnownTokens.HEADER_NAMES.find(b, pos, colon);
            if (known < 0 && !isToken(b, pos, colon)) break;
            int start = colon + 1;
            while (start < to && isBlank(b[start])) start++;
            int cr = firstControl(b, start, to);
            if (cr + 1 >= to || b[cr] != '\r' || b[cr + 1] != '\n' || cr - pos > max) break;
            int end = cr;
            while (end > start && isBlank(b[end - 1])) end--;
            dropped = !add(head, known, b, pos, colon, latin1(b, start, end));
            pos = cr + 2;
        }
        in.consume(pos - in.position());
        return read << 1 | (dropped ? 1 : 0);
    }

    /**
     * Adds the field named by bytes {@code from..to}, a valid token, {@code known} its slot in
     * {@link KnownTokens#HEADER_NAMES} or -1; false if it is dropped for its '_', per
     * {@code --header-map}.
     */
    private boolean add(RequestHead head, int known, byte[] b, int from, int to, String value) throws HttpError {
        if (known >= 0) {
            head.add(KnownTokens.HEADER_NAMES.word(known), KnownTokens.HEADER_NAMES.derived(known), value);
            return true;
        }
        String name = latin1(b, from, to);
        if (indexOf(b, from, to, '_') >= 0) {
            switch (options.headerMap()) {
                case DROP -> { return false; }
                case REFUSE -> throw new HttpError(400, "Header name with '_': " + name);
                case DANGEROUS -> { }
            }
        }
        head.add(name, RequestHead.environKey(name), value);
        return true;
    }

    /**
     * {@code name ":" value} from bytes {@code from..to} of a line without its CRLF; with
     * {@code blanksBeforeColon}, blanks between the name and the colon are taken as not there.
     */
    static Header parseHeader(byte[] b, int from, int to, boolean blanksBeforeColon) throws HttpError {
        int colon = nameEnd(b, from, to, blanksBeforeColon);
        return new Header(KnownTokens.HEADER_NAMES.string(b, from, withoutBlanks(b, from, colon)),
                parseValue(b, colon + 1, to));
    }

    /**
     * The index of the colon after a field name that is a token, in a line without its CRLF;
     * blanks between the name and the colon are refused unless {@code blanksBeforeColon}
     * ({@code --strip-header-spaces}: the smuggling risk Gunicorn keeps it for, opted into).
     */
    private static int nameEnd(byte[] b, int from, int to, boolean blanksBeforeColon) throws HttpError {
        int colon = from;
        while (colon < to && TCHAR[b[colon] & 0xff]) colon++;
        int nameEnd = colon;
        if (blanksBeforeColon) while (colon < to && isBlank(b[colon])) colon++;
        if (colon == to || b[colon] != ':' || nameEnd == from) {
            colon = indexOf(b, from, to, ':');
            throw new HttpError(400, colon <= from ? "Invalid header line" : "Invalid header name");
        }
        return colon;
    }

    /** The end of bytes {@code from..to} without the blanks they end with. */
    private static int withoutBlanks(byte[] b, int from, int to) {
        while (to > from && isBlank(b[to - 1])) to--;
        return to;
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
        return latin1(b, from, to);
    }

    /**
     * One Host in HTTP/1.1, at most one in HTTP/1.0, at most one Content-Type and one
     * Content-Length: RFC 9110 §5.3 forbids combining singleton fields, and Gunicorn 26.1 refuses
     * a repeated one. Then the body's framing.
     */
    private static long checkFraming(RequestHead head) throws HttpError {
        int hosts = 0, types = 0, lengths = 0;
        boolean encoded = false;
        for (int i = 0; i < head.fieldCount(); i++) {
            String name = head.fieldName(i);
            // a length test first: most names cannot be any of these
            switch (name.length()) {
                case 4 -> hosts += name.equalsIgnoreCase("Host") ? 1 : 0;
                case 12 -> types += name.equalsIgnoreCase("Content-Type") ? 1 : 0;
                case 14 -> lengths += name.equalsIgnoreCase("Content-Length") ? 1 : 0;
                case 17 -> encoded |= name.equalsIgnoreCase("Transfer-Encoding");
                default -> { }
            }
        }
        if (hosts > 1) throw new HttpError(400, "More than one Host header");
        if (types > 1) throw new HttpError(400, "More than one Content-Type header");
        if (lengths > 1) throw new HttpError(400, "More than one Content-Length header");
        if (hosts == 0 && head.version().equals("HTTP/1.1")) throw new HttpError(400, "Missing Host header");
        return lengths > 0 || encoded ? contentLength(head, encoded) : 0;
    }

    /** The body's framing: its length, or {@link RequestHead#CHUNKED} (RFC 9112 §6). */
    private static long contentLength(RequestHead head, boolean encoded) throws HttpError {
        String length = head.header("Content-Length");
        if (!encoded) return parseLength(length);
        if (length != null) throw new HttpError(400, "Both Content-Length and Transfer-Encoding");
        if (!head.version().equals("HTTP/1.1")) throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
        checkCodings(head);
        return RequestHead.CHUNKED;
    }

    /**
     * Chunked must come last and once, or the body's end is unknown (400); a coding jcorn does not
     * know is 501. Compressed bodies reach the app still compressed, as with Gunicorn.
     */
    private static void checkCodings(RequestHead head) throws HttpError {
        boolean chunked = false;
        for (int i = 0; i < head.fieldCount(); i++) {
            if (!head.fieldName(i).equalsIgnoreCase("Transfer-Encoding")) continue;
            for (String item : head.fieldValue(i).split(",", -1)) {
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
     * CRLF is in the window, and returns the index of its CR. A line of more than {@code max}
     * bytes before its CRLF is refused with {@code tooLong} as soon as it is, a bare CR or LF with
     * 400. Returns -1 if the stream ended before the line's first byte and {@code eofAllowed}.
     */
    static int lineEnd(RequestInput in, int max, int tooLong, boolean eofAllowed) throws IOException, HttpError {
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

    /**
     * Bytes {@code from..to} as ISO-8859-1 text, as a head's strings are. The constructor taking
     * a high byte is deprecated for other charsets; with 0 it is exactly ISO-8859-1 and, unlike
     * the one taking a Charset, small enough to be inlined: a head makes a dozen strings.
     */
    @SuppressWarnings("deprecation")
    static String latin1(byte[] b, int from, int to) {
        return new String(b, 0, from, to - from);
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
        return bytesBelow(word, n) != 0;
    }

    /**
     * Non-zero if one of the eight bytes of {@code word} is below {@code n} (at most 128),
     * unsigned; its lowest set bit is the high bit of the first such byte.
     */
    private static long bytesBelow(long word, int n) {
        return (word - ONES * n) & ~word & HIGHS;
    }

    private static int indexOf(byte[] b, int from, int to, char c) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long found = bytesEqual(word(b, i), c);
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < to; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }

    /** The index of the first ':' or control byte in bytes {@code from..to}, or {@code to}. */
    private static int colonOrControl(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long w = word(b, i);
            long found = bytesEqual(w, ':') | bytesBelow(w, ' ');
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        while (i < to && b[i] != ':' && (b[i] >= ' ' || b[i] < 0)) i++;
        return i;
    }

    /**
     * The index of the first byte in {@code from..to} that may not stand in a field value: a
     * control byte other than HTAB, or DEL; {@code to} if there is none.
     */
    private static int firstControl(byte[] b, int from, int to) {
        int i = from;
        while (true) {
            long found = 0;
            for (; i <= to - 8; i += 8) {
                long w = word(b, i);
                found = bytesBelow(w, ' ') | bytesEqual(w, 0x7f);
                if (found != 0) break;
            }
            if (found == 0) break;
            i += Long.numberOfTrailingZeros(found) >>> 3;
            if (b[i] != '\t') return i;
            i++;
        }
        while (i < to && (b[i] >= ' ' || b[i] < 0 || b[i] == '\t') && b[i] != 0x7f) i++;
        return i;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t';
    }
}
