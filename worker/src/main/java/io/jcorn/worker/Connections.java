package io.jcorn.worker;

import io.jcorn.protocol.http.FixedLengthBody;
import io.jcorn.protocol.http.RequestBody;
import io.jcorn.protocol.http.RequestHead;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a connection outlives its response, and the connections waiting idle for their next
 * request. The sync worker closes after each response, as Gunicorn's does: a slow client must not
 * hold the only thread. The other classes keep HTTP/1.1 connections (and HTTP/1.0 ones that ask)
 * open for {@code --keep-alive} idle seconds and answer pipelined requests in order. Once the
 * worker stops, responses say "close" and idle connections are closed at once.
 */
final class Connections {
    /** Unread body bytes skipped to reach the next request; past this the connection is closed. */
    static final long MAX_DRAIN = 64 * 1024;

    private final int keepAliveSeconds;
    /**
     * The open connections that have waited idle: a connection joins the first time it waits and
     * leaves as it closes; its {@link Connection#idle} flag says whether it waits now, so a request
     * costs a flag set and cleared, not a set insertion and removal.
     */
    private final Set<Connection> known = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    Connections(int keepAliveSeconds) {
        this.keepAliveSeconds = keepAliveSeconds;
    }

    /** Close after every response. */
    static Connections closeEach() {
        return new Connections(0);
    }

    int keepAliveSeconds() {
        return keepAliveSeconds;
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

    /** The calling thread waits up to the idle limit for the next request on {@code connection}. */
    boolean nextRequestArrives(Connection connection) throws IOException {
        waitsIdle(connection);
        try {
            return !closing && connection.awaitRequest(keepAliveSeconds);
        } finally {
            connection.idle.set(false);
        }
    }

    /** {@code connection} waits for its next request without a thread (once the worker stops, for its end). */
    void park(Connection connection) {
        connection.idleSince = System.nanoTime();
        waitsIdle(connection);
        if (closing) connection.end();
    }

    // known is set before idle: the thread that takes the connection next (unpark) sees it.
    private void waitsIdle(Connection connection) {
        if (!connection.known) {
            connection.known = true;
            known.add(connection);
        }
        connection.idle.set(true);
    }

    /** A parked connection's next request arrived; false if it was not parked (taken already, or closed). */
    boolean unpark(Connection connection) {
        return connection.idle.compareAndSet(true, false);
    }

    /** A connection closed. */
    void forget(Connection connection) {
        if (connection.known) known.remove(connection);
    }

    /**
     * Closes the parked connections idle too long: past {@code idleNanos} after a response, past
     * {@code firstRequestNanos} for a connection still waiting for its first request or for the
     * rest of a request head (counted from its first bytes). One whose request arrived but waits
     * for a free thread is not idle.
     */
    void closeIdle(long idleNanos, long firstRequestNanos) {
        long now = System.nanoTime();
        for (Connection connection : known) {
            if (connection.isClosed()) {
                known.remove(connection); // closed while it was being parked
                continue;
            }
            if (!connection.idle.get()) continue;
            if (connection.headSince != 0) {
                if (now - connection.headSince > firstRequestNanos) connection.end();
                continue;
            }
            long limit = connection.opened ? idleNanos : firstRequestNanos;
            if (now - connection.idleSince > limit && !connection.hasRequestWaiting()) connection.end();
        }
    }

    /**
     * The worker stops: no more keep-alive, and idle connections close now. One whose request
     * already arrived (a new connection no thread took yet) is served first, with "close".
     */
    void stop() {
        closing = true;
        for (Connection connection : known) {
            if (connection.idle.get() && !connection.hasRequestWaiting()) connection.end();
        }
    }

    private static boolean hasToken(String list, String token) {
        for (String item : list.split(",")) {
            if (item.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }
}
