package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real nginx, run as a packaged one (workers as www-data or nobody, see {@link Nginx}), serving
 * {@code examples/nginx/jcorn-site.conf} (only its listen port and socket path changed) in front
 * of jcorn on a unix socket: nginx's workers can reach the socket jcorn makes with its default
 * settings, the app sees the X-Forwarded-* headers nginx sets, and a client's own X-Forwarded-Ssl
 * does not get through; {@code --umask} keeps other users out.
 */
class NginxIT {
    static final Path EXAMPLE = JcornProcess.HOME.resolve("examples/nginx/jcorn-site.conf");

    @Test
    void theExampleConfigurationInFrontOfAUnixSocket() throws Exception {
        try (Nginx nginx = Nginx.prepare()) {
            nginx.start(example(nginx.socket()));
            assertTrue(nginx.workers().stream().allMatch(w -> !w.info().user().orElse("root").equals("root")),
                    "nginx's workers run as an unprivileged user");
            try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "unix:" + nginx.socket(),
                    "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Echo")) {
                assertEquals("rwxrwxrwx", mode(nginx.socket()), "any local user may connect, as with Gunicorn's --umask 0");
                Http.Response response = Http.send(nginx.address(), "POST /via/nginx HTTP/1.1\r\nHost: example.org\r\n"
                        + "X-Forwarded-Ssl: on\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
                assertEquals(200, response.status(), response.raw() + nginx.errorLog());
                assertEquals("http", response.environ("jcorn.url_scheme"), response.body());
                assertEquals("127.0.0.1", response.environ("HTTP_X_FORWARDED_FOR"), response.body());
                assertEquals("http", response.environ("HTTP_X_FORWARDED_PROTO"), response.body());
                assertEquals("example.org", response.environ("HTTP_HOST"), response.body());
                assertEquals("/via/nginx", response.environ("PATH_INFO"));
                assertTrue(response.body().contains("\"body_b64\": \"aGVsbG8=\""), "the body passes: " + response.body());
            }
        }
    }

    /** The README's way to keep the socket to nginx's group, as Gunicorn's: --group and --umask. */
    @Test
    void aGroupAndAUmaskKeepTheSocketToNginxsGroup() throws Exception {
        try (Nginx nginx = Nginx.prepare()) {
            nginx.start(example(nginx.socket()));
            String group = nginx.workerGroup();
            try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "unix:" + nginx.socket(), "--group", group,
                    "--umask", "0o007", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
                assertEquals("rwxrwx---", mode(nginx.socket()));
                assertEquals(group, Files.readAttributes(nginx.socket(),
                        java.nio.file.attribute.PosixFileAttributes.class).group().getName());
                assertEquals(200, Http.getOnce(nginx.address(), "/").status(), nginx.errorLog());
            }
        }
    }

    @Test
    void aTighterUmaskKeepsNginxOut() throws Exception {
        try (Nginx nginx = Nginx.prepare()) {
            nginx.start(example(nginx.socket()));
            try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "unix:" + nginx.socket(), "--umask", "0o077",
                    "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
                assertEquals("rwx------", mode(nginx.socket()));
                assertEquals(502, Http.getOnce(nginx.address(), "/").status());
                assertTrue(nginx.errorLog().contains("(13: Permission denied)"), nginx.errorLog());
            }
        }
    }

    /** The example's server and upstream, on nginx's port and jcorn's socket. */
    static String example(Path socket) throws IOException {
        String example = Files.readString(EXAMPLE);
        assertTrue(example.contains("listen 80;") && example.contains("unix:/run/jcorn/jcorn.sock"), example);
        return example.replace("listen 80;", "listen 127.0.0.1:PORT;").replace("unix:/run/jcorn/jcorn.sock", "unix:" + socket);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
