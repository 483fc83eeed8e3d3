package io.jcorn.worker;

import io.jcorn.protocol.http.RequestInput;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client connection and what outlives a request on it: its buffered input (pipelined bytes
 * wait there), the client's address (from a PROXY header, once per connection), and the slot it
 * takes in its worker's connection count, given back once, on close.
 */
final class Connection implements AutoCloseable {
    final SocketChannel channel;
    final RequestInput in;
    /** The bytes of each response's writes, reused. */
    final ResponseBuffer out = new ResponseBuffer();
    private final TimedInput timed;
    private final Consumer<Connection> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    SocketAddress remote;
    /** Whether its PROXY header, if any, was read: a gthread connection may wait before it is. */
    boolean opened;
    /** When it last became idle, for the keep-alive limit of parked connections. */
    long idleSince;
    /** Its socket's descriptor, for the gthread worker's epoll set; -1 elsewhere. */
    int fd = -1;
    /** gthread: its request arrived with it, so a thread counts as busy for it from its accept on. */
    boolean counted;

    private String peer;

    /** The address of the socket's peer (a proxy, if PROXY headers come), as REMOTE_ADDR writes it; null over a unix socket. */
    String peer() throws IOException {
        if (peer == null && channel.getRemoteAddress() instanceof InetSocketAddress inet) {
            peer = RequestEnviron.hostAddress(inet);
        }
        return peer;
    }

    /** What a readiness event on a parked connection brought. */
    enum Arrival { REQUEST, NOTHING, END }

    Connection(SocketChannel channel, Consumer<Connection> onClose) throws IOException {
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

    /** Whether the client's bytes wait in the socket, not read yet. */
    boolean hasBytesWaiting() throws IOException {
        return timed.available() > 0;
    }

    /** Whether a request's bytes wait to be read; false if the connection failed. */
    boolean hasRequestWaiting() {
        try {
            return in.buffered() > 0 || timed.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether bytes of a next request are already read (pipelined behind the last one). */
    boolean hasArrived() {
        return in.buffered() > 0;
    }

    /**
     * After a readiness event: bytes of a request are here (and the next read returns them without
     * a time bound, so without the JDK's switch of the socket to non-blocking mode and back), the
     * client closed, or nothing came (an event meant for an earlier connection on the descriptor).
     */
    Arrival arrival() {
        try {
            if (timed.available() > 0) {
                timed.nextReadReady();
                return Arrival.REQUEST;
            }
        } catch (IOException e) {
            return Arrival.END;
        }
        timed.withinMillis(1);
        in.mark(1);
        try {
            if (in.read() < 0) return Arrival.END;
            in.reset();
            return Arrival.REQUEST;
        } catch (SocketTimeoutException e) {
            return Arrival.NOTHING;
        } catch (IOException e) {
            return Arrival.END;
        }
    }

    /** Waits up to {@code seconds} for the first byte of a next request; false on silence or close. */
    boolean awaitRequest(int seconds) throws IOException {
        timed.within(seconds);
        return firstByteArrives();
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
        onClose.accept(this);
    }
}
