package io.jcorn.protocol.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A request body framed by Content-Length: reads exactly that many bytes, then reports the end. */
public final class FixedLengthBody extends InputStream {
    private final InputStream in;
    private long remaining;

    public FixedLengthBody(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        if (remaining == 0) return -1;
        int b = in.read();
        if (b < 0) throw new EOFException("client closed the connection inside the body");
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (remaining == 0) return -1;
        int n = in.read(dst, off, (int) Math.min(len, remaining));
        if (n < 0) throw new EOFException("client closed the connection inside the body");
        remaining -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    /** Bytes of the body not read yet. */
    public long remaining() {
        return remaining;
    }

    /** Reads and discards the rest of the body, so the connection can be closed without a reset. */
    public void drain() throws IOException {
        byte[] skip = new byte[8192];
        while (read(skip, 0, skip.length) > 0) {
            // discard
        }
    }

    /** Leaves the underlying stream open: it belongs to the connection. */
    @Override
    public void close() {
        // nothing: the connection owns the stream
    }
}
