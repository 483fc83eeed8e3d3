package io.jcorn.worker;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code gthread}: {@code --threads} platform threads serve requests; a connection waiting for its
 * next (or first) request is parked in {@link IdleConnections} and holds no thread. The acceptor takes a new
 * connection only while a thread is free and the worker is under {@code --worker-connections}.
 */
final class ThreadPool implements ConnectionThreads {
    private static final int BRIEF_WAIT_MILLIS = 5;
    private final HttpHandler handler;
    private final Connections connections;
    private final int threads;
    private final ConnectionCap open;
    private final ThreadPoolExecutor pool;
    private final IdleConnections idle;
    private int busy; // tasks running or queued; guarded by this

    ThreadPool(HttpHandler handler, Connections connections, int threads, int cap) {
        this.handler = handler;
        this.connections = connections;
        this.threads = threads;
        this.open = new ConnectionCap(cap);
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("jcorn-thread-", 0).factory());
        try {
            this.idle = new IdleConnections(connections, connection -> submit(() -> serve(connection)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open a selector for idle connections", e);
        }
        Thread.ofPlatform().daemon().name("jcorn-keepalive").start(idle);
    }

    @Override
    public boolean awaitRoom(long millis) throws InterruptedException {
        if (!open.take(millis)) return false;
        synchronized (this) {
            if (busy >= threads) wait(millis);
            if (busy < threads) return true;
        }
        open.giveBack();
        return false;
    }

    @Override
    public void returnRoom() {
        open.giveBack();
    }

    // A new connection whose request is not here yet (a browser's speculative connection, a slow
    // client) waits in the selector like an idle one, not on a thread.
    @Override
    public void run(SocketChannel client) throws IOException {
        Connection connection = new Connection(client, open::giveBack);
        if (connection.hasArrived()) submit(() -> serve(connection));
        else idle.park(connection);
    }

    // A client that answers at once (a busy keep-alive client) is worth a short wait on the thread
    // while others are free: parking and resuming through the selector costs more than the wait.
    private void serve(Connection connection) {
        if (!connection.opened && !(connection.opened = handler.open(connection))) {
            connection.close();
            return;
        }
        while (handler.serveArrived(connection)) {
            if (!hasFreeThread() || !connection.awaitRequestMillis(BRIEF_WAIT_MILLIS)) {
                idle.park(connection);
                return;
            }
        }
        connection.close();
    }

    private synchronized boolean hasFreeThread() {
        return busy < threads;
    }

    private void submit(Runnable task) {
        synchronized (this) {
            busy++;
        }
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
        } catch (RejectedExecutionException e) {
            done();
            throw e;
        }
    }

    private synchronized void done() {
        busy--;
        notifyAll();
    }

    @Override
    public void finish() throws InterruptedException {
        open.awaitAllClosed();
        idle.close();
        pool.shutdown();
    }
}
