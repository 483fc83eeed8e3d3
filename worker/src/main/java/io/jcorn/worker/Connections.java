package io.jcorn.worker;

import io.jcorn.protocol.http.FixedLengthBody;
import io.jcorn.protocol.http.RequestBody;
import io.jcorn.protocol.http.RequestHead;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Whether a connection outlives its response, and the connections waiting idle for their next
 * request. The sync worker closes after each response, as Gunicorn's does: a slow client must not
 * hold the only thread. The other classes keep HTTP/1.1 connections (and HTTP/1.0 ones that ask)
 * open for {@code --keep-alive} idle seconds and answer pipelined requests in order.
 *
 * <p>Once the worker stops (a reload, a rolling restart, fewer workers, max-requests, TERM), every
 * response says "close", and an idle connection still waits for its next request, which is served:
 * closing it at once would race the request its client may be sending. It ends when it has been
 * idle for {@code --keep-alive} seconds, or a little before {@code --graceful-timeout} runs out,
 * with a FIN first and never with a client's bytes left unread (see {@link Connection#end()}).
 */
final class Connections {
    /** Unread body bytes skipped to reach the next request; past this the connection is closed. */
    static final long MAX_DRAIN = 64 * 1024;
    private static final long SWEEP_MILLIS = 250;
    /** Idle connections end this long before the master's kill, so their lingering close is over by then. */
    private static final long RETIRE_MARGIN = LingeringClose.MAX_NANOS + TimeUnit.SECONDS.toNanos(1);

    private final int keepAliveSeconds;
    private final long idleNanos;
    private final long firstRequestNanos;
    private final long gracefulNanos;
    /**
     * The open connections that have waited idle: a connection joins the first time it waits and
     * leaves as it closes; its state says whether it waits now, so a request costs a flag set and
     * cleared, not a set insertion and removal.
     */
    private final Set<Connection> known = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    /** Once the worker stops: when its idle connections end, whatever their idle time. */
    private volatile long retireBy;

    private Connections(int keepAliveSeconds, int headerReadSeconds, int gracefulSeconds) {
        this.keepAliveSeconds = keepAliveSeconds;
        this.idleNanos = TimeUnit.SECONDS.toNanos(keepAliveSeconds);
        this.firstRequestNanos = TimeUnit.SECONDS.toNanos(headerReadSeconds > 0 ? headerReadSeconds : 3600);
        this.gracefulNanos = TimeUnit.SECONDS.toNanos(gracefulSeconds);
    }

    /**
     * Keeps connections for {@code --keep-alive} idle seconds; a connection that has not sent a
     * whole first request head within {@code --header-read-timeout} is closed too.
     */
    static Connections kept(int keepAliveSeconds, int headerReadSeconds, int gracefulSeconds) {
        Connections connections = new Connections(keepAliveSeconds, headerReadSeconds, gracefulSeconds);
        Thread.ofPlatform().daemon().name("jcorn-keepalive").start(connections::sweepEvery);
        return connections;
    }

    /** Close after every response. */
    static Connections closeEach() {
        return new Connections(0, 0, 0);
    }

    /** RFC 9112 §9.3: persistent by default in HTTP/1.1, on request in HTTP/1.0; "close" ends it. */
    boolean keepAlive(RequestHead head) {
        if (keepAliveSeconds == 0 || closing) return false;
        String connection = head.header("Connection");
        if (connection != null && hasToken(connection, "close")) return false;
        return head.version().equals("HTTP/1.1") || (connection != null && hasToken(connection, "keep-alive"));
    }

    /** Skips what the app left of the body; false if too much is left or the client still waits for a 100. */
    boolean finishBody(RequestBody body) throws IOException {
        if (body instanceof FixedLengthBody fixed && fixed.remaining() == 0) return true; // most requests: no body
        if (body.awaitingFirstRead()) return false;
        return body.drain(MAX_DRAIN);
    }

    /** The calling thread waits for the next request on {@code connection}, until it arrives or the connection ends. */
    boolean nextRequestArrives(Connection connection) throws IOException {
        waitsIdle(connection);
        boolean arrived = connection.awaitRequest();
        if (connection.take()) return arrived;
        LingeringClose.dropUntilEnd(connection.channel); // ended while it waited
        return false;
    }

    /** {@code connection} waits for its next request without a thread. */
    void park(Connection connection) {
        waitsIdle(connection);
    }

    // known is set before the state: the thread that takes the connection next (unpark) sees it.
    private void waitsIdle(Connection connection) {
        connection.idleSince = System.nanoTime();
        if (!connection.known) {
            connection.known = true;
            known.add(connection);
        }
        connection.waits();
    }

    /** A parked connection's next request arrived; false if it was not waiting (taken already, closed, or ending). */
    boolean unpark(Connection connection) {
        return connection.take();
    }

    /** A connection closed. */
    void forget(Connection connection) {
        if (connection.known) known.remove(connection);
    }

    private void sweepEvery() {
        while (true) {
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sweep(System.nanoTime());
        }
    }

    /**
     * Ends the waiting connections whose time is up: past {@code --keep-alive} after a response,
     * past {@code --header-read-timeout} for one still waiting for its first request or for the
     * rest of a request head (counted from its first bytes), and all of them once a stopping
     * worker's time is nearly up. One whose request arrived but waits for a free thread is not
     * idle. A client that does not answer a FIN within the lingering close's bound has its input
     * shut too.
     */
    private void sweep(long now) {
        boolean retired = closing && now - retireBy > 0;
        for (Connection connection : known) {
            if (connection.isClosed()) {
                known.remove(connection); // closed while it was being parked
            } else if (connection.ending()) {
                if (now - connection.endingSince > LingeringClose.MAX_NANOS) connection.stopReading();
            } else if (connection.waiting() && expired(connection, now, retired)) {
                connection.end();
            }
        }
    }

    private boolean expired(Connection connection, long now, boolean retired) {
        if (connection.headSince != 0) return retired || now - connection.headSince > firstRequestNanos;
        if (connection.hasRequestWaiting()) return false;
        return retired || now - connection.idleSince > (connection.opened ? idleNanos : firstRequestNanos);
    }

    /** The worker stops: no more keep-alive; idle connections end as {@link #sweep} says. */
    void stop() {
        retireBy = System.nanoTime() + Math.max(0, gracefulNanos - RETIRE_MARGIN);
        closing = true;
    }

    private static boolean hasToken(String list, String token) {
        for (String item : list.split(",")) {
            if (item.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }
}
