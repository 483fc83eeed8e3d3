package io.jcorn.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A connection's bytes with a time bound on reading them: either a deadline for everything up to
 * it (a request head: a client trickling one byte a second does not get to hold the connection
 * forever), or a limit per read (a body, which may be long but must keep flowing).
 *
 * <p>Reads go through the socket adaptor of the channel, whose {@code SO_TIMEOUT} the JDK honours
 * by polling, on platform and virtual threads alike. Unix socket channels have none: there the
 * bounds do not hold (the peer is a local proxy; the keep-alive limit of idle connections, kept
 * by {@link Connections}, still does).
 */
final class TimedInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private long deadline;
    /** within()'s bound, not fixed into {@link #deadline} yet: most reads find their bytes waiting and need no clock. */
    private long withinNanos;
    private int perRead;
    private int soTimeout = -1;
    private boolean nextReadReady;

    /** Time bounds hold for TCP; a unix socket channel has no socket adaptor, its reads wait unbounded. */
    TimedInput(SocketChannel channel) throws IOException {
        Socket adaptor;
        try {
            adaptor = channel.socket();
        } catch (UnsupportedOperationException e) {
            adaptor = null;
        }
        this.socket = adaptor;
        this.in = adaptor != null ? adaptor.getInputStream() : Channels.newInputStream(channel);
    }

    /**
     * Everything read from now on must arrive within {@code seconds}; 0: no bound. The time
     * counts from the first read that may wait: one known to find its bytes waiting reads no clock.
     */
    void within(int seconds) {
        deadline = 0;
        withinNanos = TimeUnit.SECONDS.toNanos(seconds);
        perRead = 0;
    }

    void withinMillis(int millis) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        withinNanos = 0;
        perRead = 0;
    }

    /** The next read finds bytes waiting: it needs no time bound. */
    void nextReadReady() {
        nextReadReady = true;
    }

    boolean isNextReadReady() {
        return nextReadReady;
    }

    /** Each read from now on must get bytes within {@code seconds}; 0: no bound. */
    void eachWithin(int seconds) {
        deadline = 0;
        withinNanos = 0;
        perRead = seconds * 1000;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int timeout = perRead;
        if (nextReadReady) {
            nextReadReady = false;
            timeout = 0;
        } else if (deadline != 0 || withinNanos != 0) {
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + withinNanos;
                withinNanos = 0;
            }
            long left = deadline - now;
            if (left <= 0) throw new SocketTimeoutException("read timed out");
            timeout = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
        }
        if (socket != null && timeout != soTimeout) {
            socket.setSoTimeout(timeout);
            soTimeout = timeout;
        }
        return in.read(b, off, len);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
