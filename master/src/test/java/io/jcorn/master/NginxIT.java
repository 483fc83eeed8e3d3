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
 * A real nginx on loopback, with its own prefix and config, in front of jcorn on a unix socket:
 * the app sees the X-Forwarded-* headers nginx sets, and https from X-Forwarded-Proto.
 */
class NginxIT {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    @Test
    void behindNginxOnAUnixSocket() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (.ci/run installs it)");
        Path prefix = Files.createTempDirectory("jcorn-nginx");
        Path socket = prefix.resolve("jcorn.sock");
        int port;
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
                            proxy_pass http://unix:%3$s;
                            proxy_set_header Host $host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto https;
                        }
                    }
                }
                """.formatted(prefix, port, socket));
        Process nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(),
                "-e", prefix.resolve("logs/error.log").toString(), "-c", prefix.resolve("nginx.conf").toString())
                .redirectErrorStream(true).start();
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "unix:" + socket, "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Echo")) {
            Http.Response response = throughNginx(port, nginx);
            assertEquals(200, response.status(), response.raw());
            assertEquals("https", response.environ("jcorn.url_scheme"), response.body());
            assertEquals("127.0.0.1", response.environ("HTTP_X_FORWARDED_FOR"), response.body());
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
        String request = "POST /via/nginx HTTP/1.1\r\nHost: example.org\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
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
