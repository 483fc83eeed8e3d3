package io.jcorn.worker;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code gthread}: {@code --threads} platform threads serve requests; a connection waiting for its
 * next (or first) request is parked in {@link ReadyConnections} and holds no thread. Every thread
 * waits there for a connection whose bytes arrived, serves what arrived, and parks it again.
 * The acceptor takes a new connection only while a thread is free and the worker is under
 * {@code --worker-connections}. With a lone thread (the default), the acceptor serves a new
 * connection's first request itself when that thread is free, as a sync worker does: a client
 * that sends one request per connection (nginx's default to its upstreams) then costs one thread
 * wake-up, not three.
 */
final class ThreadPool implements ConnectionThreads {
    private static final int WAIT_MILLIS = 250;
    /** Ready connections a lone thread takes in one wait. */
    private static final int BATCH = 64;
    /** How long the acceptor waits for a new connection's first bytes before it takes another. */
    private static final int FIRST_BYTES_WAIT_MILLIS = 20;
    private final HttpHandler handler;
    private final Connections connections;
    private final int threads;
    private final ConnectionCap open;
    private final ReadyConnections ready;
    private final AtomicInteger busy = new AtomicInteger();
    /** With a lone thread: held while it serves what one wait returned, or while an acceptor serves a first request; null with several. */
    private final ReentrantLock serving;
    private volatile boolean acceptorWaits;
    /** Whether the last new connection sent nothing within the wait (acceptors only). */
    private volatile boolean lastSilent;
    private volatile boolean finished;

    ThreadPool(HttpHandler handler, Connections connections, int threads, int cap) {
        this.handler = handler;
        this.connections = connections;
        this.threads = threads;
        this.open = new ConnectionCap(cap);
        this.serving = threads == 1 ? new ReentrantLock() : null;
        try {
            this.ready = new ReadyConnections(threads > 1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the epoll set for connections", e);
        }
        for (int i = 0; i < threads; i++) Thread.ofPlatform().name("jcorn-thread-" + i).start(this::serveReady);
    }

    @Override
    public boolean awaitRoom(long millis) throws InterruptedException {
        if (!open.take(millis)) return false;
        if (busy.get() >= threads) {
            synchronized (this) {
                acceptorWaits = true;
                if (busy.get() >= threads) wait(millis);
                acceptorWaits = false;
            }
        }
        if (busy.get() < threads) return true;
        open.giveBack();
        return false;
    }

    @Override
    public void returnRoom() {
        open.giveBack();
    }

    // A new connection waits in the epoll set like an idle one, not on a thread, until its
    // first bytes arrive. Most clients send with the connect, often a moment after accept()
    // returns: the acceptor waits that moment, and a thread is counted busy for the request at
    // once. Otherwise the acceptor would be back in accept() before a thread took the request,
    // committed to one more connection while every thread is busy (the kernel wakes the
    // workers' acceptors in turn, so that is the very next connection but one). After a client
    // that stayed silent, the next is not waited for (only looked at) until one sends at once: a
    // flood of connections that send nothing must not slow accepting to one per wait.
    @Override
    public void run(SocketChannel client) throws IOException {
        Connection connection = new Connection(client, this::closed);
        connection.fd = ReadyConnections.descriptor(client);
        boolean sent = ReadyConnections.awaitBytes(client, lastSilent ? 0 : FIRST_BYTES_WAIT_MILLIS);
        lastSilent = !sent;
        if (!sent) {
            park(connection);
            return;
        }
        busy.incrementAndGet();
        if (serving != null && serving.tryLock()) {
            try {
                serveCounted(connection); // a lone thread, and it is free: the acceptor stands in for it
            } finally {
                serving.unlock();
            }
        } else {
            connection.counted = true;
            park(connection);
        }
    }

    private void closed(Connection connection) {
        connections.forget(connection);
        if (connection.counted) idle();
        ready.remove(connection);
        open.giveBack();
    }

    /** A thread's life: take the connections whose bytes arrived, serve them, park them again. */
    private void serveReady() {
        ReadyConnections.Waiter waiter = ready.new Waiter(threads == 1 ? BATCH : 1);
        while (!finished) {
            int n;
            try {
                n = waiter.take(WAIT_MILLIS);
            } catch (IOException e) {
                Log.error("waiting for connections failed", e);
                return;
            }
            if (n > 0) serveTaken(waiter, n);
        }
        waiter.close();
    }

    // A lone thread holds the lock for a whole batch, not for each request in it: an acceptor may
    // be serving a new connection's first request, and the lock's release costs a memory fence.
    private void serveTaken(ReadyConnections.Waiter waiter, int n) {
        if (serving != null) serving.lock();
        try {
            for (int i = 0; i < n; i++) serveTaken(waiter.taken(i));
        } finally {
            if (serving != null) serving.unlock();
        }
    }

    private void serveTaken(Connection connection) {
        if (connection == null) return;
        if (!connections.unpark(connection)) {
            if (connection.ending()) linger(connection);
            return;
        }
        if (connection.counted) connection.counted = false;
        else busy.incrementAndGet();
        serveCounted(connection);
    }

    /** Serves a connection a thread is counted busy for (holding {@link #serving}, if any); then that thread is free. */
    private void serveCounted(Connection connection) {
        try {
            serve(connection);
        } finally {
            idle();
        }
    }

    private void idle() {
        if (busy.decrementAndGet() < threads && acceptorWaits) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    // The event says bytes (or the end) arrived, and no other thread reads this connection: the
    // first read returns at once, and needs no time bound. A thread takes the request once its
    // whole head is here, so slow clients hold none (they are closed after --header-read-timeout).
    private void serve(Connection connection) {
        connection.nextReadReady();
        if (!connection.opened && !handler.open(connection)) {
            connection.close();
        } else if (!connection.headArrived()) {
            park(connection); // a slow client's head: it waits for its next bytes holding no thread
        } else if (handler.serveArrived(connection)) {
            park(connection);
        } else {
            connection.close();
        }
    }

    private void park(Connection connection) {
        if (connection.isClosed()) return; // by the request timeout's watchdog
        connections.park(connection);
        try {
            ready.arm(connection);
        } catch (IOException e) {
            Log.debug("parking a connection: " + e.getMessage());
            if (connections.unpark(connection)) connection.close();
        }
    }

    /** An ended connection's client sent bytes or its end: they are dropped, and at its end it closes. */
    private void linger(Connection connection) {
        if (LingeringClose.dropArrived(connection.channel, connection.endingSince)) {
            connection.close();
            return;
        }
        try {
            ready.arm(connection);
        } catch (IOException e) {
            connection.close();
        }
    }

    @Override
    public void finish() throws InterruptedException {
        open.awaitAllClosed();
        finished = true;
    }
}
