package io.jcorn.master;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real nginx on loopback, run as a packaged nginx runs: its master as root, its workers as an
 * unprivileged user ({@code www-data}, else {@code nobody}), so a unix socket they cannot reach
 * shows as a 502, as it would in production. Its prefix is a temporary directory that user can
 * enter, with {@link #socket()} a place for jcorn's socket; the test gives the configuration of
 * the {@code http} block. A test that uses it is skipped, with the reason, where nginx is missing
 * or the test does not run as root.
 */
final class Nginx implements AutoCloseable {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Path prefix;
    private int port;
    private Process process;

    private Nginx(Path prefix) {
        this.prefix = prefix;
    }

    /** A prefix for an nginx, not started yet; skips the test unless a packaged nginx can run here. */
    static Nginx prepare() throws IOException {
        assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (.ci/run installs it)");
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "nginx runs as packaged (master as root, workers as www-data or nobody): the test must run as root");
        Path prefix = Files.createTempDirectory("jcorn-nginx");
        // temporary directories are 0700: nginx's workers must reach the socket inside
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(prefix.resolve("logs"));
        return new Nginx(prefix);
    }

    /** A unix socket path for jcorn, in a directory nginx's workers can enter. */
    Path socket() {
        return prefix.resolve("jcorn.sock");
    }

    /**
     * Starts nginx with {@code http} (the content of its {@code http} block, where {@code PORT}
     * stands for the port it listens on), and waits until it listens.
     */
    Nginx start(String http) throws IOException, InterruptedException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Files.writeString(prefix.resolve("nginx.conf"), """
                daemon off;
                user %2$s;
                worker_processes 1;
                error_log %1$s/logs/error.log info;
                pid %1$s/nginx.pid;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                %3$s
                }
                """.formatted(prefix, workerUser(), http.replace("PORT", Integer.toString(port)).indent(4)));
        process = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(),
                "-e", prefix.resolve("logs/error.log").toString(), "-c", prefix.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/output.log").toFile()).start();
        awaitListening();
        return this;
    }

    private static String workerUser() throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("www-data:"))
                ? "www-data" : "nobody";
    }

    /** The group its workers run in: www-data, or nobody's (nogroup on Debian). */
    String workerGroup() throws IOException {
        String user = workerUser();
        String gid = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(l -> l.startsWith(user + ":"))
                .findFirst().orElseThrow().split(":")[3];
        return Files.readAllLines(Path.of("/etc/group")).stream().map(l -> l.split(":"))
                .filter(f -> f[2].equals(gid)).findFirst().orElseThrow()[0];
    }

    private void awaitListening() throws IOException, InterruptedException {
        for (int i = 0; i < 200 && process.isAlive(); i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        fail("nginx does not listen on " + port + ": " + Files.readString(prefix.resolve("logs/output.log"))
                + errorLog());
    }

    /** Its address, {@code http://127.0.0.1:PORT}. */
    String address() {
        return "http://127.0.0.1:" + port;
    }

    /** nginx's error log so far. */
    String errorLog() throws IOException {
        Path log = prefix.resolve("logs/error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Its worker processes. */
    java.util.List<ProcessHandle> workers() {
        return process.children().toList();
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(prefix)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
