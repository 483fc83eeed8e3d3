package io.jcorn.protocol.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A request body framed by Content-Length: reads exactly that many bytes, then reports the end. */
public final class FixedLengthBody extends RequestBody {
    private final InputStream in;
    private long remaining;

    public FixedLengthBody(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (remaining == 0) return -1;
        started();
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

}
