package io.jcorn.worker;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * {@code virtual}: a virtual thread per connection, up to {@code --worker-connections}. Blocking
 * in the app or on a slow client parks the virtual thread, not a carrier, so thousands of idle or
 * slow connections cost memory, not threads.
 */
final class VirtualThreads implements ConnectionThreads {
    private final HttpHandler handler;
    private final ConnectionCap open;
    private final ThreadFactory threads = Thread.ofVirtual().name("jcorn-connection").factory();

    VirtualThreads(HttpHandler handler, int cap) {
        this.handler = handler;
        this.open = new ConnectionCap(cap);
    }

    @Override
    public boolean awaitRoom(long millis) throws InterruptedException {
        return open.take(millis);
    }

    @Override
    public void returnRoom() {
        open.giveBack();
    }

    @Override
    public void run(SocketChannel client) throws IOException {
        Connection connection = new Connection(client, closed -> open.giveBack());
        threads.newThread(() -> handler.process(connection)).start();
    }

    @Override
    public void finish() throws InterruptedException {
        open.awaitAllClosed();
    }
}
