package io.jcorn.protocol.uwsgi;

import io.jcorn.protocol.http.FixedLengthBody;
import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.RequestInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packets a real nginx sends with {@code uwsgi_pass} and {@code include uwsgi_params}, over a
 * unix socket, read by the parser: the format as nginx writes it, not as its documentation says.
 */
class UwsgiFromNginxTest {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static Path prefix;
    private static Process nginx;
    private static ServerSocketChannel upstream;
    private static int port;

    @BeforeAll
    static void startNginx() throws Exception {
        assumeTrue(Files.isExecutable(NGINX) && Files.isReadable(Path.of("/etc/nginx/uwsgi_params")), "nginx is not installed");
        prefix = Files.createTempDirectory("jcorn-uwsgi");
        Path socket = prefix.resolve("app.sock");
        upstream = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Files.createDirectories(prefix.resolve("logs"));
        Files.writeString(prefix.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                error_log %1$s/logs/error.log;
                pid %1$s/nginx.pid;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            include /etc/nginx/uwsgi_params;
                            uwsgi_pass unix:%3$s;
                        }
                    }
                }
                """.formatted(prefix, port, socket));
        nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-e", prefix.resolve("logs/error.log").toString(),
                "-c", prefix.resolve("nginx.conf").toString()).redirectErrorStream(true).start();
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly();
        }
        if (upstream != null) upstream.close();
        if (prefix != null) {
            try (var files = Files.walk(prefix)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What one request through nginx brought to the upstream socket, and whether nginx then closed it. */
    record Received(UwsgiPacket packet, byte[] body, boolean closedAfterResponse, String clientSaw) {}

    private static Received exchange(String request) throws Exception {
        CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> send(request));
        try (SocketChannel connection = upstream.accept()) {
            RequestInput in = new RequestInput(Channels.newInputStream(connection));
            UwsgiPacket packet = new UwsgiParser(ParserOptions.DEFAULT).parse(in);
            byte[] body = new FixedLengthBody(in, packet.contentLength()).readAllBytes();
            connection.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII)));
            String response = client.get(20, TimeUnit.SECONDS);
            boolean closed = in.read() < 0;
            return new Received(packet, body, closed, response);
        }
    }

    /** Sends a request to nginx (retrying while it starts) and reads the response to its end. */
    private static String send(String request) {
        for (int attempt = 0; ; attempt++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                if (attempt > 200 || !nginx.isAlive()) throw new IllegalStateException("nginx does not answer: " + e, e);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    @Test
    void aGetCarriesUwsgiParamsAndTheHeaders() throws Exception {
        Received r = exchange("GET /caf%C3%A9/x?q=a%20b HTTP/1.1\r\nHost: example.org\r\nX-Trace: 1\r\nX-Trace: 2\r\n"
                + "Connection: close\r\n\r\n");
        UwsgiPacket p = r.packet();
        assertEquals("GET", p.method());
        assertEquals("/caf%C3%A9/x?q=a%20b", p.requestUri());
        assertEquals("/caf\u00e9/x", p.pathInfo(), "nginx decodes PATH_INFO; it is read as UTF-8");
        assertEquals("q=a%20b", p.queryString());
        assertEquals("HTTP/1.1", p.protocol());
        assertEquals("http", p.scheme());
        assertEquals("example.org", p.get("HTTP_HOST"));
        assertEquals("1,2", p.get("HTTP_X_TRACE"), "a header sent twice");
        assertEquals("127.0.0.1", p.get("REMOTE_ADDR"), "the client's address, not nginx's");
        assertEquals(Integer.toString(port), p.get("SERVER_PORT"));
        assertEquals("", p.get("CONTENT_LENGTH"));
        assertEquals(0, p.contentLength());
        assertTrue(r.clientSaw().startsWith("HTTP/1.1 200 OK"), r.clientSaw());
        assertTrue(r.clientSaw().endsWith("ok"), r.clientSaw());
    }

    @Test
    void aPostsBodyFollowsThePacket() throws Exception {
        byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        Received r = exchange("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n" + new String(body, StandardCharsets.US_ASCII));
        assertEquals("POST", r.packet().method());
        assertEquals(body.length, r.packet().contentLength());
        assertEquals("text/plain", r.packet().get("CONTENT_TYPE"));
        assertArrayEquals(body, r.body());
    }

    @Test
    void nginxClosesTheUpstreamConnectionAfterEachResponse() throws Exception {
        Received r = exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(r.closedAfterResponse(), "nginx's uwsgi module keeps no upstream connection alive");
    }
}
