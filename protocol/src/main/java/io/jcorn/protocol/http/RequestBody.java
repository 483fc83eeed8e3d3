package io.jcorn.protocol.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as the app reads it ({@code jcorn.input}): one subclass per framing. It never
 * reads past its own end, so the next request on the connection starts where it stops, and
 * closing it leaves the connection open.
 */
public abstract sealed class RequestBody extends InputStream permits FixedLengthBody, ChunkedBody {

    /** What to send the client before the body is first read ({@code 100 Continue}). */
    @FunctionalInterface
    public interface BeforeFirstRead {
        void run() throws IOException;
    }

    private BeforeFirstRead beforeFirstRead;

    /** A body of the framing the head announces. */
    public static RequestBody of(RequestHead head, InputStream in, ParserOptions options) {
        return head.chunked() ? new ChunkedBody(in, options) : new FixedLengthBody(in, head.contentLength());
    }

    /** Runs {@code action} once, just before the first read, and only if the body is not empty. */
    public void beforeFirstRead(BeforeFirstRead action) {
        this.beforeFirstRead = action;
    }

    /** Whether a {@link #beforeFirstRead} action is still waiting: the app never read the body. */
    public boolean awaitingFirstRead() {
        return beforeFirstRead != null;
    }

    protected final void started() throws IOException {
        BeforeFirstRead action = beforeFirstRead;
        if (action == null) return;
        beforeFirstRead = null;
        action.run();
    }

    /** Reads and discards the rest of the body, so the connection can be closed without a reset. */
    public void drain() throws IOException {
        drain(Long.MAX_VALUE);
    }

    /**
     * Reads and discards up to {@code max} bytes of what the app left unread.
     *
     * @return whether the body's end was reached: only then can the connection take another request
     */
    public boolean drain(long max) throws IOException {
        byte[] skip = new byte[8192];
        long left = max;
        while (left > 0) {
            int n = read(skip, 0, (int) Math.min(skip.length, left));
            if (n < 0) return true;
            left -= n;
        }
        return read(skip, 0, 1) < 0;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** Leaves the underlying stream open: it belongs to the connection. */
    @Override
    public void close() {
        // nothing: the connection owns the stream
    }
}
