package io.jcorn.protocol.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request body in the chunked coding (RFC 9112 §7.1), decoded: chunk sizes are hex digits only
 * (no sign, no {@code 0x}, at most 15), extensions are parsed and ignored, trailer fields are read
 * and those that would change how the request is framed, routed or authorised are refused.
 */
public final class ChunkedBody extends RequestBody {
    private static final int MAX_SIZE_DIGITS = 15;
    private static final int MAX_CHUNK_LINE = 4096;
    /** RFC 9110 §6.5.1: fields a sender must not put in a trailer. */
    private static final Set<String> FORBIDDEN_TRAILERS = Set.of("content-length", "transfer-encoding", "host",
            "content-type", "content-encoding", "content-range", "trailer", "te", "connection", "keep-alive",
            "upgrade", "expect", "authorization", "proxy-authorization", "cookie", "set-cookie", "cache-control",
            "max-forwards", "range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since",
            "if-range", "age", "expires", "date", "location", "retry-after", "vary", "warning");

    private final RequestInput in;
    private final ParserOptions options;
    private long remaining;
    private boolean done;
    private final List<Header> trailers = new ArrayList<>();

    ChunkedBody(InputStream in, ParserOptions options) {
        this.in = RequestInput.of(in);
        this.options = options;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (done) return -1;
        started();
        if (remaining == 0 && !nextChunk()) return -1;
        int n = in.read(dst, off, (int) Math.min(len, remaining));
        if (n < 0) throw new EOFException("client closed the connection inside a chunk");
        remaining -= n;
        if (remaining == 0) endOfChunkData();
        return n;
    }

    /** The trailer fields, once the body has been read to its end. */
    public List<Header> trailers() {
        return trailers;
    }

    /** Reads the next chunk-size line; false at the last chunk, after the trailers. */
    private boolean nextChunk() throws IOException {
        int end = lineEnd(MAX_CHUNK_LINE, 400);
        remaining = parseSizeLine(in.buffer(), in.position(), end);
        in.consume(end + 2 - in.position());
        if (remaining > 0) return true;
        readTrailers();
        done = true;
        return false;
    }

    private void endOfChunkData() throws IOException {
        while (in.limit() - in.position() < 2) {
            if (!in.fill()) throw new EOFException("client closed the connection inside a chunk");
        }
        byte[] b = in.buffer();
        int p = in.position();
        if (b[p] != '\r' || b[p + 1] != '\n') throw new BodyFramingException(400, "Chunk data not followed by CRLF");
        in.consume(2);
    }

    /** {@code chunk-size *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )} in bytes {@code from..to}. */
    static long parseSizeLine(byte[] b, int from, int to) throws BodyFramingException {
        int i = from;
        long size = 0;
        while (i < to && hexValue(b[i]) >= 0) {
            if (i - from == MAX_SIZE_DIGITS) throw new BodyFramingException(400, "Chunk size too long");
            size = size * 16 + hexValue(b[i++]);
        }
        if (i == from) throw new BodyFramingException(400, "Invalid chunk size");
        while (i < to) {
            i = skipBlanks(b, i, to);
            if (i == to) break;
            if (b[i] != ';') throw new BodyFramingException(400, "Invalid chunk size");
            i = skipToken(b, skipBlanks(b, i + 1, to), to);
            int afterName = skipBlanks(b, i, to);
            if (afterName < to && b[afterName] == '=') {
                int value = skipBlanks(b, afterName + 1, to);
                i = value < to && b[value] == '"' ? skipQuoted(b, value, to) : skipToken(b, value, to);
            }
        }
        return size;
    }

    private static int skipToken(byte[] b, int i, int to) throws BodyFramingException {
        int start = i;
        while (i < to && HttpParser.isTokenChar((char) (b[i] & 0xff))) i++;
        if (i == start) throw new BodyFramingException(400, "Invalid chunk extension");
        return i;
    }

    /** A quoted-string from its opening quote; returns the index after the closing one. */
    private static int skipQuoted(byte[] b, int i, int to) throws BodyFramingException {
        for (i++; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == '"') return i + 1;
            if (c == '\\') {
                if (++i == to || !isQuotable(b[i] & 0xff)) break;
            } else if (!isQuotable(c)) {
                break;
            }
        }
        throw new BodyFramingException(400, "Invalid quoted string in a chunk extension");
    }

    private static boolean isQuotable(int c) {
        return c == '\t' || (c >= ' ' && c != 0x7f);
    }

    private static int skipBlanks(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t')) i++;
        return i;
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private void readTrailers() throws IOException {
        while (true) {
            int end = lineEnd(options.fieldLineLimit(), 431);
            int from = in.position();
            in.consume(end + 2 - from);
            if (end == from) return;
            if (trailers.size() >= options.fieldsLimit()) {
                throw new BodyFramingException(431, "Too many trailer fields");
            }
            Header field = parseTrailer(in.buffer(), from, end, options.stripHeaderSpaces());
            if (FORBIDDEN_TRAILERS.contains(field.name().toLowerCase(Locale.ROOT))) {
                throw new BodyFramingException(400, "Forbidden trailer field " + field.name());
            }
            trailers.add(field);
        }
    }

    private static Header parseTrailer(byte[] b, int from, int to, boolean blanksBeforeColon) throws BodyFramingException {
        try {
            if (b[from] == ' ' || b[from] == '\t') throw new HttpError(400, "Folded trailer line");
            return HttpParser.parseHeader(b, from, to, blanksBeforeColon);
        } catch (HttpError e) {
            throw new BodyFramingException(e.status(), e.getMessage());
        }
    }

    /** The index of the CR ending the line at the window's position. */
    private int lineEnd(int limit, int tooLong) throws IOException {
        try {
            return HttpParser.lineEnd(in, limit, tooLong, false);
        } catch (HttpError e) {
            throw new BodyFramingException(e.status(), e.getMessage());
        }
    }
}
