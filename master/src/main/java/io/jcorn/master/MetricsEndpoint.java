package io.jcorn.master;

import io.jcorn.protocol.http.HttpError;
import io.jcorn.protocol.http.HttpParser;
import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.RequestHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * {@code --metrics-bind}: the master's own small HTTP endpoint, {@code GET /metrics} in Prometheus
 * text format, served on one thread from the {@link Scoreboard}. The workers never see it.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final ServerSocketChannel server;
    private final Scoreboard scoreboard;
    private final HttpParser parser = new HttpParser(ParserOptions.DEFAULT);

    private MetricsEndpoint(ServerSocketChannel server, Scoreboard scoreboard) {
        this.server = server;
        this.scoreboard = scoreboard;
    }

    static MetricsEndpoint open(BindAddress address, Scoreboard scoreboard) throws IOException {
        ServerSocketChannel server = switch (address) {
            case BindAddress.Tcp tcp -> ServerSocketChannel.open().bind(new InetSocketAddress(tcp.host(), tcp.port()));
            case BindAddress.Unix unix -> ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                    .bind(UnixDomainSocketAddress.of(unix.path()));
        };
        MetricsEndpoint endpoint = new MetricsEndpoint(server, scoreboard);
        log.info("Metrics at: {}", describe(server));
        Thread.ofPlatform().daemon().name("jcorn-metrics").start(endpoint::serve);
        return endpoint;
    }

    private static String describe(ServerSocketChannel server) throws IOException {
        return server.getLocalAddress() instanceof InetSocketAddress inet
                ? "http://" + BindAddress.parse(inet.getHostString() + ":" + inet.getPort()) + "/metrics"
                : "unix:" + server.getLocalAddress() + " /metrics";
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                client.socket().setSoTimeout(5000);
                answer(client);
            } catch (IOException | HttpError e) {
                if (server.isOpen()) log.debug("metrics client: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("metrics request failed", e);
            }
        }
    }

    private void answer(SocketChannel client) throws IOException, HttpError {
        RequestHead head = parser.parse(new io.jcorn.protocol.http.RequestInput(Channels.newInputStream(client)));
        if (head == null) return;
        boolean found = head.path().equals("/metrics") && (head.method().equals("GET") || head.method().equals("HEAD"));
        byte[] body = (found ? PrometheusText.of(scoreboard.view()) : "Not Found: try /metrics\n")
                .getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + (found ? "200 OK" : "404 Not Found") + "\r\n"
                + "Content-Type: " + (found ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8") + "\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer[] out = {ByteBuffer.wrap(headers.getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap(head.method().equals("HEAD") ? new byte[0] : body)};
        while (out[0].hasRemaining() || out[1].hasRemaining()) client.write(out);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the metrics endpoint: {}", e.getMessage());
        }
    }
}
