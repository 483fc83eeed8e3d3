package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SystemdNotifyIT {

    @Test
    void systemdHearsReadyOnlyOnceWorkersServeThenReloadingWatchdogAndStopping() throws Exception {
        try (NotifySocket systemd = NotifySocket.open(Files.createTempDirectory("jcorn-notify").resolve("notify.sock"))) {
            Map<String, String> env = Map.of("NOTIFY_SOCKET", systemd.path.toString(), "WATCHDOG_USEC", "400000");
            try (JcornProcess jcorn = JcornProcess.start(env, "-w", "2", "-b", "127.0.0.1:0",
                    "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
                systemd.awaitMessage("READY=1\nSTATUS=Serving with 2 workers", 1);
                // The master logs both "booted in" lines before it sends READY=1; the datagram can
                // still reach this test before its reader has taken the second line from the pipe.
                jcorn.awaitLine("booted in", 2);
                assertEquals(2, jcorn.count("booted in"), "READY=1 comes once both workers serve");
                assertEquals(200, Http.get(jcorn.address(), "/").status());
                systemd.awaitMessage("WATCHDOG=1", 3);
                jcorn.signal("HUP");
                systemd.awaitMessage("RELOADING=1\nMONOTONIC_USEC=", 1);
                systemd.awaitMessage("READY=1\nSTATUS=Serving with 2 workers", 2);
                jcorn.awaitLine("Reload complete");
                jcorn.signal("TERM");
                assertEquals(0, jcorn.awaitExit());
                systemd.awaitMessage("STOPPING=1", 1);
            }
        }
    }
}
