package io.jcorn.worker;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * {@code sync}: the accepting thread serves the connection itself, one at a time for the whole
 * worker (with several listeners too), as Gunicorn's sync worker does. While it serves, it is not
 * in {@code accept()}, so the kernel gives new connections to the other workers.
 */
final class AcceptingThread implements ConnectionThreads {
    private final HttpHandler handler;
    private final Object serving = new Object();

    AcceptingThread(HttpHandler handler) {
        this.handler = handler;
    }

    @Override
    public boolean awaitRoom(long millis) {
        return true;
    }

    @Override
    public void returnRoom() {
        // no room was counted
    }

    @Override
    public void run(SocketChannel client) throws IOException {
        synchronized (serving) {
            handler.process(new Connection(client, closed -> { }));
        }
    }

    @Override
    public void finish() {
        // the acceptors served everything before they returned
    }
}
