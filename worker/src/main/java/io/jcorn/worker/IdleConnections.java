package io.jcorn.worker;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The gthread worker's keep-alive connections between requests: registered with one selector, on
 * one thread, and handed back to the pool when the next request's bytes arrive; closed after
 * {@code --keep-alive} idle seconds.
 */
final class IdleConnections implements Runnable {
    private static final long EXPIRY_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Connections connections;
    private final Consumer<Connection> onReadable;
    private final Selector selector;
    private final Queue<Connection> arriving = new ConcurrentLinkedQueue<>();
    private final long idleNanos;
    private volatile boolean closed;

    IdleConnections(Connections connections, Consumer<Connection> onReadable) throws IOException {
        this.connections = connections;
        this.onReadable = onReadable;
        this.selector = Selector.open();
        this.idleNanos = TimeUnit.SECONDS.toNanos(connections.keepAliveSeconds());
    }

    /** {@code connection} waits here for its next request. */
    void park(Connection connection) {
        if (!connections.park(connection)) return;
        arriving.add(connection);
        selector.wakeup();
    }

    void close() {
        closed = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        long nextExpiry = System.nanoTime() + EXPIRY_CHECK_NANOS;
        try (selector) {
            while (!closed) {
                register();
                selector.select(TimeUnit.NANOSECONDS.toMillis(EXPIRY_CHECK_NANOS));
                handOver();
                if (System.nanoTime() - nextExpiry > 0) {
                    closeExpired();
                    nextExpiry = System.nanoTime() + EXPIRY_CHECK_NANOS;
                }
            }
            for (SelectionKey key : selector.keys()) close((Connection) key.attachment());
        } catch (IOException e) {
            Log.error("the keep-alive selector failed", e);
        }
    }

    private void register() {
        for (Connection connection; (connection = arriving.poll()) != null; ) {
            try {
                connection.channel.configureBlocking(false);
                connection.channel.register(selector, SelectionKey.OP_READ, connection);
            } catch (ClosedChannelException e) {
                close(connection);
            } catch (IOException e) {
                Log.debug("parking a connection: " + e.getMessage());
                close(connection);
            }
        }
    }

    // A channel goes back to blocking mode only once its key is gone from the selector, which
    // takes a selectNow() after the cancel.
    private void handOver() throws IOException {
        List<Connection> readable = new ArrayList<>();
        for (SelectionKey key : selector.selectedKeys()) {
            key.cancel();
            readable.add((Connection) key.attachment());
        }
        selector.selectedKeys().clear();
        if (readable.isEmpty()) return;
        selector.selectNow();
        selector.selectedKeys().clear();
        for (Connection connection : readable) {
            if (!connections.unpark(connection)) continue;
            try {
                connection.channel.configureBlocking(true);
                onReadable.accept(connection);
            } catch (IOException | RuntimeException e) {
                Log.debug("resuming a connection: " + e);
                connection.close();
            }
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            Connection connection = (Connection) key.attachment();
            if (!key.isValid() || now - connection.idleSince > idleNanos) {
                key.cancel();
                close(connection);
            }
        }
    }

    private void close(Connection connection) {
        if (connections.unpark(connection)) connection.close();
    }
}
