package io.jcorn.worker;

import io.jcorn.protocol.http.RequestBody;
import io.jcorn.protocol.http.RequestHead;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Whether a connection outlives its first response. The sync worker closes after each response,
 * as Gunicorn's does ({@link #CLOSE}): a slow client must not hold the only thread. Worker
 * classes that can wait cheaply keep HTTP/1.1 connections (and HTTP/1.0 ones that ask) open for
 * {@code --keep-alive} idle seconds and answer pipelined requests in order.
 */
record Connections(int keepAliveSeconds) {
    /** Close after every response. */
    static final Connections CLOSE = new Connections(0);
    /** Unread body bytes skipped to reach the next request; past this the connection is closed. */
    static final long MAX_DRAIN = 64 * 1024;

    boolean keepsAlive() {
        return keepAliveSeconds > 0;
    }

    /** RFC 9112 §9.3: persistent by default in HTTP/1.1, on request in HTTP/1.0; "close" ends it. */
    boolean keepAlive(RequestHead head) {
        if (!keepsAlive()) return false;
        String connection = head.header("Connection");
        if (connection != null && hasToken(connection, "close")) return false;
        return head.version().equals("HTTP/1.1") || (connection != null && hasToken(connection, "keep-alive"));
    }

    /** Skips what the app left of the body; false if too much is left or the client still waits for a 100. */
    boolean finishBody(RequestBody body) throws IOException {
        if (body.awaitingFirstRead()) return false;
        return body.drain(MAX_DRAIN);
    }

    /** Waits up to the idle limit for the next request's first byte; pipelined bytes are already here. */
    boolean nextRequestArrives(SocketChannel client, InputStream in) throws IOException {
        if (in.available() > 0) return true;
        client.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            client.register(selector, SelectionKey.OP_READ);
            return selector.select(keepAliveSeconds * 1000L) > 0;
        } finally {
            client.configureBlocking(true);
        }
    }

    private static boolean hasToken(String list, String token) {
        for (String item : list.split(",")) {
            if (item.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }
}
