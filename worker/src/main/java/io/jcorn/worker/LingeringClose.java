package io.jcorn.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * nginx's lingering close: closing a socket with unread bytes makes the kernel send a reset (over
 * TCP and unix sockets alike), and a reset can destroy what the client has not read yet, or reach
 * a client that just sent a request in place of an answer. So a connection is half-closed first
 * (a FIN: the client reads the end), what the client still sends is read and dropped, briefly and
 * boundedly, and only then is it closed. For a connection that ends with an error response while
 * the client is still sending, and for an idle connection a worker ends.
 */
final class LingeringClose {
    /** How long what a client still sends after the FIN is read and dropped. */
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_BYTES = 1 << 20;
    private static final int READ_TIMEOUT_MILLIS = 500;

    private LingeringClose() {}

    static void drain(SocketChannel client) {
        try {
            client.shutdownOutput();
            Socket socket = client.socket();
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[8192];
            long deadline = System.nanoTime() + MAX_NANOS;
            int total = 0;
            for (int n; total < MAX_BYTES && System.nanoTime() < deadline && (n = in.read(sink)) >= 0; ) total += n;
        } catch (IOException | RuntimeException e) {
            // a slow, gone or non-blocking client: close now
            Log.debug("lingering close ended: " + e);
        }
    }

    /**
     * After the FIN of an idle connection (a gthread worker's, whose threads must not wait): reads
     * and drops what has arrived; true once the client's end is here, or {@link #MAX_NANOS} after
     * {@code since}: close it then.
     */
    static boolean dropArrived(SocketChannel client, long since) {
        ByteBuffer sink = ByteBuffer.allocate(8192);
        try {
            for (int total = 0; total < MAX_BYTES && ReadyConnections.awaitBytes(client, 0); total += sink.position()) {
                if (client.read(sink.clear()) < 0) return true;
            }
        } catch (IOException e) {
            return true;
        }
        return System.nanoTime() - since > MAX_NANOS;
    }

    /**
     * After the FIN of an idle connection, on its own thread: reads and drops what the client
     * sends until its end ({@link Connection#stopReading()} brings the end of one that stays).
     */
    static void dropUntilEnd(SocketChannel client) {
        ByteBuffer sink = ByteBuffer.allocate(8192);
        try {
            for (int total = 0; total < MAX_BYTES && client.read(sink.clear()) >= 0; total += sink.position()) {
                // dropped
            }
        } catch (IOException e) {
            Log.debug("lingering close ended: " + e);
        }
    }
}
