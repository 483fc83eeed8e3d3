package io.jcorn.worker;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@code virtual}: a virtual thread per connection, up to {@code --worker-connections}. Blocking
 * in the app or on a slow client parks the virtual thread, not a carrier, so thousands of idle or
 * slow connections cost memory, not threads.
 */
final class VirtualThreads implements ConnectionThreads {
    private final HttpHandler handler;
    private final int cap;
    private final Semaphore open;
    private final ThreadFactory threads = Thread.ofVirtual().name("jcorn-connection").factory();

    VirtualThreads(HttpHandler handler, int cap) {
        this.handler = handler;
        this.cap = cap;
        this.open = new Semaphore(cap);
    }

    @Override
    public boolean awaitRoom(long millis) throws InterruptedException {
        return open.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void returnRoom() {
        open.release();
    }

    @Override
    public void run(SocketChannel client) throws IOException {
        Connection connection = new Connection(client, open::release);
        threads.newThread(() -> handler.process(connection)).start();
    }

    @Override
    public void finish() throws InterruptedException {
        open.acquire(cap);
    }
}
