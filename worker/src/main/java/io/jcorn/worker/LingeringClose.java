package io.jcorn.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * nginx's lingering close, for connections that end with an error response while the client is
 * still sending: closing a socket with unread bytes makes the kernel send a reset, and a reset
 * can destroy the error response before the client has read it. So: half-close, read and drop
 * what the client still sends, briefly and boundedly, then let the caller close.
 */
final class LingeringClose {
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
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
}
