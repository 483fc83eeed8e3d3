package io.jcorn.master;

import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

class SystemdNotifyIT {
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Test
    void systemdHearsReadyOnlyOnceWorkersServeThenReloadingWatchdogAndStopping() throws Exception {
        Path socket = Files.createTempDirectory("jcorn-notify").resolve("notify.sock");
        try (UnixDatagramChannel listener = UnixDatagramChannel.open()) {
            listener.bind(new UnixSocketAddress(socket.toFile()));
            Thread.ofPlatform().daemon().start(() -> receive(listener));
            Map<String, String> env = Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "400000");
            try (JcornProcess jcorn = JcornProcess.start(env, "-w", "2", "-b", "127.0.0.1:0",
                    "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
                awaitMessage("READY=1\nSTATUS=Serving with 2 workers", 1);
                assertEquals(2, jcorn.count("booted in"), "READY=1 comes once both workers serve");
                assertEquals(200, Http.get(jcorn.address(), "/").status());
                awaitMessage("WATCHDOG=1", 3);
                jcorn.signal("HUP");
                awaitMessage("RELOADING=1\nMONOTONIC_USEC=", 1);
                awaitMessage("READY=1\nSTATUS=Serving with 2 workers", 2);
                jcorn.awaitLine("Reload complete");
                jcorn.signal("TERM");
                assertEquals(0, jcorn.awaitExit());
                awaitMessage("STOPPING=1", 1);
            }
        }
    }

    private void receive(UnixDatagramChannel listener) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (true) {
                buffer.clear();
                listener.receive(buffer);
                messages.add(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            // the socket closed at the end of the test
        }
    }

    private void awaitMessage(String prefix, int n) {
        for (int i = 0; i < 600; i++) {
            if (messages.stream().filter(m -> m.startsWith(prefix)).count() >= n) return;
            JcornProcess.sleep(50);
        }
        fail("no " + n + " message(s) starting " + prefix.replace("\n", "\\n") + "; got " + messages);
    }
}
