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

    private final InputStream in;
    private final ParserOptions options;
    private long remaining;
    private boolean done;
    private final List<Header> trailers = new ArrayList<>();

    ChunkedBody(InputStream in, ParserOptions options) {
        this.in = in;
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
        remaining = parseSizeLine(line(MAX_CHUNK_LINE, 400));
        if (remaining > 0) return true;
        readTrailers();
        done = true;
        return false;
    }

    private void endOfChunkData() throws IOException {
        int cr = in.read(), lf = in.read();
        if (cr < 0 || lf < 0) throw new EOFException("client closed the connection inside a chunk");
        if (cr != '\r' || lf != '\n') throw new BodyFramingException(400, "Chunk data not followed by CRLF");
    }

    /** {@code chunk-size *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )}. */
    static long parseSizeLine(String line) throws BodyFramingException {
        int i = 0;
        long size = 0;
        while (i < line.length() && hexValue(line.charAt(i)) >= 0) {
            if (i == MAX_SIZE_DIGITS) throw new BodyFramingException(400, "Chunk size too long");
            size = size * 16 + hexValue(line.charAt(i++));
        }
        if (i == 0) throw new BodyFramingException(400, "Invalid chunk size");
        while (i < line.length()) {
            i = skipBlanks(line, i);
            if (i == line.length()) break;
            if (line.charAt(i) != ';') throw new BodyFramingException(400, "Invalid chunk size");
            i = skipToken(line, skipBlanks(line, i + 1));
            int afterName = skipBlanks(line, i);
            if (afterName < line.length() && line.charAt(afterName) == '=') {
                int value = skipBlanks(line, afterName + 1);
                i = value < line.length() && line.charAt(value) == '"' ? skipQuoted(line, value) : skipToken(line, value);
            }
        }
        return size;
    }

    private static int skipToken(String line, int i) throws BodyFramingException {
        int start = i;
        while (i < line.length() && HttpParser.isTokenChar(line.charAt(i))) i++;
        if (i == start) throw new BodyFramingException(400, "Invalid chunk extension");
        return i;
    }

    /** A quoted-string from its opening quote; returns the index after the closing one. */
    private static int skipQuoted(String line, int i) throws BodyFramingException {
        for (i++; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') return i + 1;
            if (c == '\\') {
                if (++i == line.length() || !isQuotable(line.charAt(i))) break;
            } else if (!isQuotable(c)) {
                break;
            }
        }
        throw new BodyFramingException(400, "Invalid quoted string in a chunk extension");
    }

    private static boolean isQuotable(char c) {
        return c == '\t' || (c >= ' ' && c != 0x7f);
    }

    private static int skipBlanks(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        return i;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private void readTrailers() throws IOException {
        while (true) {
            String line = line(options.requestFieldSize(), 431);
            if (line.isEmpty()) return;
            if (options.requestFields() > 0 && trailers.size() >= options.requestFields()) {
                throw new BodyFramingException(431, "Too many trailer fields");
            }
            Header field = parseTrailer(line);
            if (FORBIDDEN_TRAILERS.contains(field.name().toLowerCase(Locale.ROOT))) {
                throw new BodyFramingException(400, "Forbidden trailer field " + field.name());
            }
            trailers.add(field);
        }
    }

    private static Header parseTrailer(String line) throws BodyFramingException {
        try {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') throw new HttpError(400, "Folded trailer line");
            return HttpParser.parseHeader(line);
        } catch (HttpError e) {
            throw new BodyFramingException(e.status(), e.getMessage());
        }
    }

    private String line(int limit, int tooLong) throws IOException {
        try {
            return HttpParser.readLine(in, limit, tooLong, false);
        } catch (HttpError e) {
            throw new BodyFramingException(e.status(), e.getMessage());
        }
    }
}
