package io.jcorn.release;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.tools.ToolProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a user gets from {@code dist/jcorn-VERSION.tar.gz}: unpacked in a directory outside the
 * source tree, with only a JDK, it serves the bundled example and an app compiled against
 * {@code lib/api} alone.
 */
class ReleaseIT {
    private static final String VERSION = System.getProperty("jcorn.version");
    private static Path unpacked;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("jcorn.tarball"));
        assertTrue(Files.isRegularFile(tarball), "mvn package makes " + tarball);
        unpacked = Files.createTempDirectory("jcorn-release");
        run(unpacked, "tar", "-xzf", tarball.toString());
        home = unpacked.resolve("jcorn-" + VERSION);
    }

    @AfterAll
    static void remove() throws IOException {
        try (var files = Files.walk(unpacked)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theTarballHoldsWhatTheReadmePromises() throws IOException {
        for (String file : List.of("bin/jcorn", "bin/jdk.sh", "bin/jcorn_completion", "conf/jcorn.conf", "conf/logback.xml",
                "examples/jcorn-examples.jar", "examples/nginx/jcorn-site.conf", "examples/systemd/jcorn.service",
                "examples/docker/Dockerfile", "examples/docker/jcorn.conf", "examples/kubernetes/jcorn.yaml",
                "README.md", "SPEC.md")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file + " is in the tarball");
        }
        assertTrue(Files.isExecutable(home.resolve("bin/jcorn")));
        try (var api = Files.list(home.resolve("lib/api"))) {
            assertEquals(List.of("jcorn-protocol.jar"), api.map(p -> p.getFileName().toString()).toList(),
                    "apps compile against the protocol jar alone");
        }
        assertTrue(Files.readString(home.resolve("bin/jcorn_completion")).contains("--worker-class"));
    }

    @Test
    void versionNamesJcornAndJava() throws Exception {
        String out = run(unpacked, home.resolve("bin/jcorn").toString(), "--version");
        assertTrue(out.contains("jcorn " + VERSION) && out.contains("Java "), out);
    }

    @Test
    void servesTheBundledExample() throws Exception {
        try (Server server = Server.start(unpacked, "--classpath", home.resolve("examples/jcorn-examples.jar").toString(),
                "io.jcorn.examples.Hello")) {
            assertEquals("Hello, World!", server.get("/"));
        }
    }

    @Test
    void servesAnAppCompiledAgainstTheApiJarAlone() throws Exception {
        Path app = Files.createDirectories(unpacked.resolve("shop"));
        Path source = Files.writeString(app.resolve("Greeting.java"), """
                package shop;

                import io.jcorn.protocol.App;
                import io.jcorn.protocol.StartResponse;
                import java.nio.charset.StandardCharsets;
                import java.util.List;
                import java.util.Map;

                public final class Greeting implements App {
                    @Override
                    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
                        startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
                        return List.of(("hello from " + environ.get("PATH_INFO")).getBytes(StandardCharsets.UTF_8));
                    }
                }
                """);
        Path classes = Files.createDirectories(unpacked.resolve("classes"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21",
                "-cp", home.resolve("lib/api/jcorn-protocol.jar").toString(), "-d", classes.toString(), source.toString());
        assertEquals(0, compiled, "javac against lib/api");
        try (Server server = Server.start(unpacked, "-w", "2", "--classpath", "classes", "shop.Greeting")) {
            assertEquals("hello from /cart", server.get("/cart"));
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " ends");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    /** The unpacked bin/jcorn in its own process group, on a free loopback port. */
    private record Server(Process process, List<String> lines, String url) implements AutoCloseable {
        private static final Pattern LISTENING = Pattern.compile("Listening at: (\\S+) \\(");

        static Server start(Path dir, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("setsid", home.resolve("bin/jcorn").toString(),
                    "-b", "127.0.0.1:0"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) lines.add(line);
                } catch (IOException e) {
                    // the server is gone
                }
            });
            Server server = new Server(process, lines, null);
            String url = server.await(LISTENING).group(1);
            server.await(Pattern.compile("Worker \\d+ \\(pid:\\d+\\) booted in"));
            return new Server(process, lines, url);
        }

        Matcher await(Pattern pattern) throws InterruptedException {
            for (int i = 0; i < 600; i++) {
                for (String line : lines) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) return m;
                }
                if (!process.isAlive() && i > 0) break;
                Thread.sleep(50);
            }
            return fail("no /" + pattern + "/ from the unpacked jcorn:\n" + String.join("\n", lines));
        }

        String get(String path) throws Exception {
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                return response.body();
            }
        }

        @Override
        public void close() throws Exception {
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid()).start().waitFor();
            }
            assertEquals(0, process.exitValue(), String.join("\n", lines));
        }
    }
}
