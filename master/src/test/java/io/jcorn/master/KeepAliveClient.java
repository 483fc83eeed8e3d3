package io.jcorn.master;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A client that keeps its connection, as wrk does: one request at a time, a new connection only
 * after a response that says "close". A request that fails is not retried: its exception is the
 * outcome. Reads over TCP give up after 10 s.
 */
final class KeepAliveClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final SocketAddress target;
    private final byte[] request;
    private SocketChannel channel;
    private InputStream in;
    private OutputStream out;

    KeepAliveClient(String address, String path) {
        this.target = Http.socketAddress(address);
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request on the kept connection (a new one if there is none) and returns the status of its answer. */
    int get() throws IOException {
        if (channel == null) connect();
        out.write(request);
        out.flush();
        String head = readHead();
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) skipChunks();
        else skip(contentLength(lower));
        if (lower.contains("\r\nconnection: close")) close();
        return status;
    }

    private void connect() throws IOException {
        if (target instanceof UnixDomainSocketAddress) {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(target);
            in = new BufferedInputStream(Channels.newInputStream(channel));
            out = Channels.newOutputStream(channel);
        } else {
            channel = SocketChannel.open(target);
            Socket socket = channel.socket();
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            head.append((char) next());
        }
        if (!head.toString().startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP response: " + head);
        return head.toString();
    }

    private static long contentLength(String head) throws IOException {
        int at = head.indexOf("\r\ncontent-length:");
        if (at < 0) throw new IOException("a response without Content-Length on a kept connection: " + head);
        return Long.parseLong(head.substring(at + 17, head.indexOf("\r\n", at + 2)).trim());
    }

    private void skipChunks() throws IOException {
        while (true) {
            long size = Long.parseLong(line().split(";")[0].trim(), 16);
            skip(size);
            line();
            if (size == 0) return;
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = next()) != '\n'; ) if (c != '\r') line.append((char) c);
        return line.toString();
    }

    private void skip(long n) throws IOException {
        for (long i = 0; i < n; i++) next();
    }

    private int next() throws IOException {
        int c = in.read();
        if (c < 0) throw new EOFException("the connection ended before the whole answer");
        return c;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
        channel = null;
    }
}
