package io.jcorn.worker;

import io.jcorn.protocol.http.RequestInput;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection and what outlives a request on it: its buffered input (pipelined bytes
 * wait there), the client's address (from a PROXY header, once per connection), and the slot it
 * takes in its worker's connection count, given back once, on close.
 */
final class Connection implements AutoCloseable {
    final SocketChannel channel;
    final RequestInput in;
    private final TimedInput timed;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    SocketAddress remote;
    /** Whether its PROXY header, if any, was read: a gthread connection may wait before it is. */
    boolean opened;
    /** When it last became idle, for the keep-alive limit of parked connections. */
    long idleSince;

    Connection(SocketChannel channel, Runnable onClose) throws IOException {
        this.channel = channel;
        this.onClose = onClose;
        this.timed = new TimedInput(channel);
        this.in = new RequestInput(timed);
        this.remote = channel.getRemoteAddress();
    }

    /** What is read from now on must arrive within {@code seconds} in all (0: no bound). */
    void readWithin(int seconds) {
        timed.within(seconds);
    }

    /** Each read from now on must get bytes within {@code seconds} (0: no bound). */
    void readEachWithin(int seconds) {
        timed.eachWithin(seconds);
    }

    /** Whether bytes of a next request are already here (pipelined, or arrived meanwhile). */
    boolean hasArrived() throws IOException {
        return in.available() > 0;
    }

    /** Waits up to {@code seconds} for the first byte of a next request; false on silence or close. */
    boolean awaitRequest(int seconds) throws IOException {
        timed.within(seconds);
        return firstByteArrives();
    }

    /** Waits up to {@code millis} for the first byte of a next request; false on silence, close or error. */
    boolean awaitRequestMillis(int millis) {
        timed.withinMillis(millis);
        try {
            return firstByteArrives();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean firstByteArrives() throws IOException {
        in.mark(1);
        try {
            if (in.read() < 0) return false;
        } catch (SocketTimeoutException e) {
            return false;
        }
        in.reset();
        return true;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            channel.close();
        } catch (IOException e) {
            Log.debug("closing a client: " + e.getMessage());
        }
        onClose.run();
    }
}
