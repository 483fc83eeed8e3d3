package io.jcorn.protocol.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's input as the parsers see it: a byte window over the stream. {@link HttpParser}
 * and {@link ChunkedBody} scan request heads and chunk lines in place in the window instead of
 * reading a byte at a time, and body bytes are copied out of it in bulk. Whatever the parsers have
 * not consumed stays here for the next reader: a request body, then the next pipelined request.
 *
 * <p>One per connection, used by one thread at a time.
 */
public final class RequestInput extends InputStream {
    private static final int DEFAULT_SIZE = 8192;
    /** A window grown past this for a long head goes back to the default size once it is empty. */
    private static final int SHRINK_ABOVE = 64 * 1024;

    private final InputStream source;
    private byte[] buf;
    private int pos;
    private int limit;
    private int mark = -1;

    public RequestInput(InputStream source) {
        this(source, DEFAULT_SIZE);
    }

    public RequestInput(InputStream source, int size) {
        this.source = source;
        this.buf = new byte[size];
    }

    /** {@code in} itself if it is already a window, else a window over it. */
    static RequestInput of(InputStream in) {
        return in instanceof RequestInput window ? window : new RequestInput(in);
    }

    // ---------------------------------------------------------------- the window, for the parsers

    byte[] buffer() {
        return buf;
    }

    /** Index in {@link #buffer()} of the first unconsumed byte. */
    int position() {
        return pos;
    }

    /** Index in {@link #buffer()} just past the last byte read from the stream. */
    int limit() {
        return limit;
    }

    /** Marks {@code n} bytes of the window as consumed. */
    void consume(int n) {
        pos += n;
    }

    /**
     * Reads more of the stream into the window, keeping the unconsumed bytes (they may move:
     * indexes into the buffer are valid only until the next fill).
     *
     * @return false if the stream ended
     */
    boolean fill() throws IOException {
        makeRoom();
        int n;
        do {
            n = source.read(buf, limit, buf.length - limit);
        } while (n == 0);
        if (n < 0) return false;
        limit += n;
        return true;
    }

    private void makeRoom() {
        int keep = mark >= 0 ? mark : pos;
        if (keep == limit && mark < 0 && buf.length > SHRINK_ABOVE) {
            buf = new byte[DEFAULT_SIZE];
            pos = limit = 0;
            return;
        }
        if (keep > 0) {
            System.arraycopy(buf, keep, buf, 0, limit - keep);
            limit -= keep;
            pos -= keep;
            if (mark >= 0) mark = 0;
        }
        // A line that fills most of the window: double it rather than read a few bytes at a time.
        if (buf.length - limit < buf.length / 2) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
    }

    /**
     * Reads once more from the stream into the window, for a caller that knows the read will
     * not wait (its bytes or the end have arrived).
     *
     * @return false if the stream ended
     */
    public boolean readArrived() throws IOException {
        return fill();
    }

    /**
     * Whether the unconsumed bytes hold a whole request head (up to its empty line), or at least
     * {@code enough} bytes, enough for the parser to refuse the head if it has no end soon.
     */
    public boolean holdsHead(int enough) {
        if (limit - pos >= enough) return true;
        for (int i = pos + 3; i < limit; i++) {
            if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- InputStream, for bodies and the app

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        if (len == 0) return 0;
        if (pos == limit) {
            // a large read bypasses the window: the bytes are copied once, not twice
            if (len >= buf.length && mark < 0) return source.read(dst, off, len);
            if (!fill()) return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /** The bytes read from the stream and not consumed yet. */
    public int buffered() {
        return limit - pos;
    }

    /** The bytes already in the window, else what the stream says it has. */
    @Override
    public int available() throws IOException {
        return pos < limit ? limit - pos : source.available();
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) return 0;
        if (pos == limit && !fill()) return 0;
        int skipped = (int) Math.min(n, limit - pos);
        pos += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    /** Keeps everything from here in the window until {@link #reset()}, whatever the read limit. */
    @Override
    public void mark(int readLimit) {
        mark = pos;
    }

    @Override
    public void reset() throws IOException {
        if (mark < 0) throw new IOException("reset without mark");
        pos = mark;
        mark = -1;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
