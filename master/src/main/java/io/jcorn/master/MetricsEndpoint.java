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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code --metrics-bind}: the master's own small HTTP endpoint, served from the {@link Scoreboard}:
 * {@code GET /metrics} in Prometheus text format, and {@code GET /healthz} for probes (a load
 * balancer's, Kubernetes' readiness and liveness): 200 while a worker serves, 503 while none does
 * or while the master stops. The workers never see it.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private static final String TEXT = "text/plain; charset=utf-8", PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final Executor CLIENT_DEADLINE = CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS);

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
        log.info("Metrics at: {}", describe(address, server));
        Thread.ofPlatform().daemon().name("jcorn-metrics").start(endpoint::serve);
        return endpoint;
    }

    // The host as given: the socket of 0.0.0.0 is the JDK's dual-stack one, whose address reads as ::.
    private static String describe(BindAddress address, ServerSocketChannel server) throws IOException {
        return switch (address) {
            case BindAddress.Tcp tcp -> "http://" + new BindAddress.Tcp(tcp.host(),
                    ((InetSocketAddress) server.getLocalAddress()).getPort()) + "/metrics";
            case BindAddress.Unix unix -> unix + " /metrics";
        };
    }

    // A connection each on a virtual thread: a client that connects and says nothing (a port scan)
    // holds up neither the probes nor the scrapes behind it.
    private void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("jcorn-metrics-client").start(() -> answer(client));
            } catch (IOException e) {
                if (server.isOpen()) log.debug("metrics endpoint: {}", e.getMessage());
            }
        }
    }

    private void answer(SocketChannel channel) {
        // closing the channel ends a read that waits too long, on a TCP or a unix socket alike
        CLIENT_DEADLINE.execute(() -> closeQuietly(channel));
        try (SocketChannel client = channel) {
            RequestHead head = parser.parse(new io.jcorn.protocol.http.RequestInput(Channels.newInputStream(client)));
            if (head != null) respond(client, head);
        } catch (IOException | HttpError e) {
            log.debug("metrics client: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("metrics request failed", e);
        }
    }

    private void respond(SocketChannel client, RequestHead head) throws IOException {
        boolean read = head.method().equals("GET") || head.method().equals("HEAD");
        Answer answer = !read ? Answer.NOT_FOUND : switch (head.path()) {
            case "/metrics" -> new Answer("200 OK", PROMETHEUS, PrometheusText.of(scoreboard.view()));
            case "/healthz" -> health(scoreboard.health());
            default -> Answer.NOT_FOUND;
        };
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + answer.status() + "\r\n"
                + "Content-Type: " + answer.contentType() + "\r\n"
                + "Content-Length: " + body.length + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        ByteBuffer[] out = {ByteBuffer.wrap(headers.getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap(head.method().equals("HEAD") ? new byte[0] : body)};
        while (out[0].hasRemaining() || out[1].hasRemaining()) client.write(out);
    }

    private static Answer health(Scoreboard.Health health) {
        return new Answer(health.ok() ? "200 OK" : "503 Service Unavailable", TEXT, health.text() + "\n");
    }

    private record Answer(String status, String contentType, String body) {
        static final Answer NOT_FOUND = new Answer("404 Not Found", TEXT, "Not Found: try /metrics or /healthz\n");
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closed already
        }
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
