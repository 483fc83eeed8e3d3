package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonIT {

    @Test
    void daemonReturnsOnceTheWorkersServeAndTheMasterLivesOnInItsOwnSession() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-daemon");
        Path pidfile = dir.resolve("jcorn.pid"), log = dir.resolve("error.log");
        long daemon = 0;
        try (JcornProcess jcorn = JcornProcess.start("--daemon", "-w", "2", "--pid", pidfile.toString(),
                "--error-logfile", log.toString(), "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals(0, jcorn.awaitExit(), jcorn.output());
            daemon = Long.parseLong(Files.readString(pidfile).trim());
            assertNotEquals(jcorn.masterPid(), daemon);
            assertTrue(JcornProcess.alive(daemon));
            String content = Files.readString(log);
            assertEquals(2, content.lines().filter(l -> l.contains("booted in")).count(), "ready means serving:\n" + content);
            assertEquals(daemon, session(daemon), "the master leads a session of its own");
            assertEquals(200, Http.get(JcornProcess.listeningAt(content), "/").status());
            JcornProcess.kill("TERM", daemon);
            for (int i = 0; i < 200 && JcornProcess.alive(daemon); i++) JcornProcess.sleep(50);
            assertFalse(JcornProcess.alive(daemon));
            assertFalse(Files.exists(pidfile), "the pidfile goes with the master");
        } finally {
            if (daemon > 0 && JcornProcess.alive(daemon)) JcornProcess.kill("KILL", daemon);
        }
    }

    @Test
    void anAppThatCannotLoadMakesDaemonExit1WithTheReason() throws Exception {
        try (JcornProcess jcorn = JcornProcess.start("--daemon", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.NoSuchApp")) {
            assertEquals(1, jcorn.awaitExit());
            jcorn.awaitLine("jcorn: the daemon did not start: App failed to load: Failed to find application class "
                    + "'io.jcorn.examples.NoSuchApp'");
        }
    }

    @Test
    void anAddressInUseMakesDaemonExit1WithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JcornProcess jcorn = JcornProcess.start("--daemon", "-b", "127.0.0.1:" + taken.getLocalPort(),
                     "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals(1, jcorn.awaitExit());
            jcorn.awaitLine("jcorn: the daemon did not start: Can't bind 127\\.0\\.0\\.1:" + taken.getLocalPort());
        }
    }

    /** The session id of {@code pid}, from /proc. */
    private static long session(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
