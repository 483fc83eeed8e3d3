package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ControlSocketIT {
    private static final String[] SLOW = {"-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Slow"};

    @Test
    void statusShowsABusyWorkerDuringASlowRequest() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, concat(List.of("-w", "2"), SLOW))) {
            CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> get(jcorn, "/?seconds=8"));
            Map<String, Object> busy = awaitWorker(jcorn, w -> w.get("request") != null);
            assertEquals("GET /?seconds=8", busy.get("request"));
            assertEquals("busy", busy.get("state"));
            assertTrue(((Number) busy.get("request_s")).doubleValue() >= 0, "for how long: " + busy);

            JcornProcess.Ctl text = jcorn.ctl("status");
            assertEquals(0, text.exit(), text.output());
            assertTrue(text.output().matches("(?s).*\\bbusy\\b.*GET /\\?seconds=8 \\(\\d+\\.\\ds\\).*"), text.output());
            assertTrue(text.output().contains("idle"), "the other worker is idle:\n" + text.output());

            assertEquals(200, slow.get().status());
            Map<String, Object> done = awaitWorker(jcorn, w -> ((Number) w.get("requests")).longValue() == 1);
            assertEquals("idle", done.get("state"));
            assertEquals(null, done.get("request"));
        }
    }

    @Test
    void workersAddGrowsThePoolAndRemoveShrinksIt() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, SLOW)) {
            JcornProcess.Ctl add = jcorn.ctl("workers", "add", "2");
            assertEquals(0, add.exit(), add.output());
            jcorn.awaitBooted(3);
            assertEquals(3, jcorn.workerPids().size());
            assertEquals(3, workers(jcorn).size());

            assertEquals(0, jcorn.ctl("workers", "remove", "1").exit());
            jcorn.awaitLine("stopped: one worker fewer");
            assertEquals(2L, ((Map<?, ?>) status(jcorn).get("master")).get("workers_target"));
        }
    }

    @Test
    void reloadRollingRestartAndShutdownThroughTheSocket() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, SLOW)) {
            Path socket = jcorn.dir.resolve("jcorn/jcorn.sock");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            long before = jcorn.workerPid(0);
            assertEquals(0, jcorn.ctl("reload").exit());
            jcorn.awaitLine("Reload complete");
            jcorn.awaitLine("\\(pid:" + before + "\\) stopped by a reload");
            assertEquals(0, jcorn.ctl("rolling-restart").exit());
            jcorn.awaitLine("Rolling restart complete: 1 workers replaced");

            JcornProcess.Ctl stop = jcorn.ctl("shutdown", "--graceful");
            assertEquals(0, stop.exit(), stop.output());
            assertEquals(0, jcorn.awaitExit());
            assertFalse(Files.exists(socket), "the master removes its socket");
            JcornProcess.Ctl gone = jcorn.ctl("status");
            assertEquals(1, gone.exit());
            assertTrue(gone.output().startsWith("jcorn ctl: can't reach a master at " + socket), gone.output());
        }
    }

    @Test
    void badCommandsAreOneLineAndNonZero() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, SLOW)) {
            JcornProcess.Ctl unknown = jcorn.ctl("frobnicate");
            assertEquals(1, unknown.exit());
            assertEquals(1, unknown.output().strip().lines().count(), unknown.output());
            assertTrue(unknown.output().startsWith("jcorn ctl: unknown command 'frobnicate'"), unknown.output());
            assertEquals(1, jcorn.ctl("workers", "add", "many").exit());
            JcornProcess.Ctl config = jcorn.ctl("--json", "config");
            assertEquals(0, config.exit());
            assertTrue(config.output().contains("\"app\":\"io.jcorn.examples.Slow\""), config.output());
        }
    }

    @Test
    void anotherUserIsRefused() throws Exception {
        Path open = Files.createTempDirectory("jcorn-ctl");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = open.resolve("ctl.sock");
        try (JcornProcess jcorn = JcornProcess.serving(1, concat(List.of("--control-socket", socket.toString()), SLOW))) {
            jcorn.awaitLine("Control socket at " + socket);
            List<String> nobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
            JcornProcess.Ctl denied = jcorn.ctl(nobody, "--socket", socket.toString(), "status");
            assertEquals(1, denied.exit(), denied.output());
            assertTrue(denied.output().contains("Permission denied"), "mode 0600 keeps others out:\n" + denied.output());

            // Past the file mode, the master checks the peer's uid itself.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            JcornProcess.Ctl refused = jcorn.ctl(nobody, "--socket", socket.toString(), "status");
            assertEquals(1, refused.exit(), refused.output());
            assertTrue(refused.output().startsWith("jcorn ctl: permission denied: only root may control this master"), refused.output());
            jcorn.awaitLine("Control socket: refused a request from user nobody");
        }
    }

    private static Http.Response get(JcornProcess jcorn, String path) {
        try {
            return Http.get(jcorn.address(), path);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(JcornProcess jcorn) throws Exception {
        JcornProcess.Ctl status = jcorn.ctl("--json", "status");
        assertEquals(0, status.exit(), status.output());
        return (Map<String, Object>) Json.parse(status.output());
    }

    // Straight to the socket, as scripts do: a JVM per poll would be too slow to catch a busy worker.
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> workers(JcornProcess jcorn) throws Exception {
        try (var channel = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(jcorn.dir.resolve("jcorn/jcorn.sock")))) {
            channel.write(java.nio.ByteBuffer.wrap("status\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            String answer = new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(answer.strip())).get("workers");
        }
    }

    private static Map<String, Object> awaitWorker(JcornProcess jcorn, java.util.function.Predicate<Map<String, Object>> test)
            throws Exception {
        List<Map<String, Object>> seen = List.of();
        for (int i = 0; i < 100; i++) {
            seen = workers(jcorn);
            for (Map<String, Object> worker : seen) if (test.test(worker)) return worker;
            JcornProcess.sleep(50);
        }
        return fail("no such worker in " + seen);
    }

    static String[] concat(List<String> first, String... rest) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
