package io.jcorn.master;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A raw HTTP/1.x client over TCP or a unix socket: sends exact bytes, reads until the server closes. */
final class Http {
    private Http() {}

    /** A response as read off the wire. */
    record Response(int status, Map<String, String> headers, String body, String raw) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The value of {@code "key": "value"} in an Echo JSON body. */
        String environ(String key) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    static Response get(String address, String path) throws IOException {
        return send(address, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    /** A GET that asks the server to close after answering, as a keep-alive worker would otherwise wait. */
    static Response getOnce(String address, String path) throws IOException {
        return send(address, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    static Response send(String address, String request) throws IOException {
        return parse(exchange(address, request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Sends the bytes and returns everything the server sends until it closes the connection. */
    static String exchange(String address, byte[] request) throws IOException {
        SocketAddress target = socketAddress(address);
        try (SocketChannel channel = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            channel.connect(target);
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) channel.write(out);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (channel.read(in.clear()) > 0) received.write(in.array(), 0, in.position());
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static SocketAddress socketAddress(String address) {
        if (address.startsWith("unix:")) return UnixDomainSocketAddress.of(address.substring(5));
        URI uri = URI.create(address);
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new InetSocketAddress(host, uri.getPort());
    }

    static Response parse(String raw) throws IOException {
        int end = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.1 ") || end < 0) throw new IOException("not an HTTP response: '" + raw + "'");
        String[] lines = raw.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = raw.substring(end + 4);
        if ("chunked".equals(headers.get("transfer-encoding"))) body = dechunk(body);
        return new Response(Integer.parseInt(lines[0].substring(9, 12)), headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), raw);
    }

    static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd), 16);
            if (size == 0) {
                if (!chunked.startsWith("\r\n", lineEnd + 2)) throw new IllegalStateException("bad last chunk: " + chunked);
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            if (!chunked.startsWith("\r\n", lineEnd + 2 + size)) throw new IllegalStateException("bad chunk: " + chunked);
            at = lineEnd + 4 + size;
        }
    }
}
