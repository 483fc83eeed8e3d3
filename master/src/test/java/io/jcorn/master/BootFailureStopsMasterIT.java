package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootFailureStopsMasterIT {

    @Test
    void aMissingAppClassStopsTheMasterWithOneLineAndNoRespawns() throws Exception {
        try (JcornProcess jcorn = JcornProcess.start("-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Missing")) {
            jcorn.expectErrors("App failed to load");
            assertEquals(4, jcorn.awaitExit());
            assertEquals(1, jcorn.count("\\[ERROR\\] App failed to load: Failed to find application class "
                    + "'io.jcorn.examples.Missing' on the classpath"), jcorn.output());
            assertTrue(jcorn.count("Booting worker with pid") <= 2, jcorn.output());
            assertNoStackTrace(jcorn);
        }
    }

    @Test
    void aThrowingConstructorStopsTheMasterNamingTheCause() throws Exception {
        try (JcornProcess jcorn = JcornProcess.start("-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.TEST_APPS, "io.jcorn.master.testapps.ThrowingConstructor")) {
            jcorn.expectErrors("App failed to load|The constructor of");
            assertEquals(4, jcorn.awaitExit());
            assertEquals(1, jcorn.count("\\[ERROR\\] App failed to load: The constructor of "
                    + "'io.jcorn.master.testapps.ThrowingConstructor' threw .*database unreachable"), jcorn.output());
            assertTrue(jcorn.count("Booting worker with pid") <= 2, jcorn.output());
        }
    }

    @Test
    void aBadFlagIsOneLineAndExitCodeTwo() throws Exception {
        for (String[] args : new String[][] {{"-w", "abc", "io.jcorn.examples.Hello"},
                {"--no-such-flag", "io.jcorn.examples.Hello"}, {"-w", "0", "io.jcorn.examples.Hello"},
                {"-b", "127.0.0.1:notaport", "io.jcorn.examples.Hello"}, {"-k", "gevent", "io.jcorn.examples.Hello"}}) {
            try (JcornProcess jcorn = JcornProcess.start(args)) {
                assertEquals(2, jcorn.awaitExit(), jcorn.output());
                assertEquals(1, jcorn.lines().size(), jcorn.output());
                assertTrue(jcorn.lines().getFirst().startsWith("jcorn: "), jcorn.output());
            }
        }
    }

    @Test
    void anAddressInUseIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JcornProcess jcorn = JcornProcess.start("-b", "127.0.0.1:" + taken.getLocalPort(),
                     "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.expectErrors("Can't bind");
            assertEquals(1, jcorn.awaitExit());
            assertEquals(1, jcorn.count("\\[ERROR\\] Can't bind 127.0.0.1:" + taken.getLocalPort() + ": "), jcorn.output());
            assertEquals(0, jcorn.count("Booting worker"));
            assertNoStackTrace(jcorn);
        }
    }

    private static void assertNoStackTrace(JcornProcess jcorn) {
        assertFalse(jcorn.lines().stream().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread")),
                jcorn.output());
    }
}
