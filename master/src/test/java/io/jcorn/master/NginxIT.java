package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real nginx on loopback, with its own prefix, serving {@code examples/nginx/jcorn-site.conf} (only its
 * listen port and socket path changed) in front of jcorn on a unix socket: the app sees the
 * X-Forwarded-* headers nginx sets, and a client's own X-Forwarded-Ssl does not get through.
 */
class NginxIT {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Path EXAMPLE = JcornProcess.HOME.resolve("examples/nginx/jcorn-site.conf");

    @Test
    void theExampleConfigurationInFrontOfAUnixSocket() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (.ci/run installs it)");
        Path prefix = Files.createTempDirectory("jcorn-nginx");
        Path socket = prefix.resolve("jcorn.sock");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String example = Files.readString(EXAMPLE);
        assertTrue(example.contains("listen 80;") && example.contains("unix:/run/jcorn/jcorn.sock"), example);
        Files.writeString(prefix.resolve("jcorn.conf"), example.replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("unix:/run/jcorn/jcorn.sock", "unix:" + socket));
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
                    include %1$s/jcorn.conf;
                }
                """.formatted(prefix));
        Process nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(),
                "-e", prefix.resolve("logs/error.log").toString(), "-c", prefix.resolve("nginx.conf").toString())
                .redirectErrorStream(true).start();
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "unix:" + socket, "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Echo")) {
            Http.Response response = throughNginx(port, nginx);
            assertEquals(200, response.status(), response.raw());
            assertEquals("http", response.environ("jcorn.url_scheme"), response.body());
            assertEquals("127.0.0.1", response.environ("HTTP_X_FORWARDED_FOR"), response.body());
            assertEquals("http", response.environ("HTTP_X_FORWARDED_PROTO"), response.body());
            assertEquals("example.org", response.environ("HTTP_HOST"), response.body());
            assertEquals("/via/nginx", response.environ("PATH_INFO"));
            assertTrue(response.body().contains("\"body_b64\": \"aGVsbG8=\""), "the body passes: " + response.body());
        } finally {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly();
            try (var files = Files.walk(prefix)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** nginx starts in the background: retry the request (bounded) until it listens. */
    private static Http.Response throughNginx(int port, Process nginx) throws Exception {
        String request = "POST /via/nginx HTTP/1.1\r\nHost: example.org\r\nX-Forwarded-Ssl: on\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello";
        IOException last = null;
        for (int i = 0; i < 100 && nginx.isAlive(); i++) {
            try {
                return Http.send("http://127.0.0.1:" + port, request);
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        assertTrue(nginx.isAlive(), "nginx exited: " + new String(nginx.getInputStream().readAllBytes()));
        throw last;
    }
}
