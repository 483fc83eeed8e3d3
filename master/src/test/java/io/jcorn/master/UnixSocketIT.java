package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnixSocketIT {

    @Test
    void curlOverTheUnixSocketAndTheFileIsRemovedOnStop() throws Exception {
        Path socket = Files.createTempDirectory("jcorn-unix").resolve("jcorn.sock");
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "unix:" + socket,
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals("unix:" + socket, jcorn.address());
            Shell.Result curl = Shell.exec("curl", "-sS", "--unix-socket", socket.toString(), "http://localhost/");
            assertEquals(0, curl.exitCode(), curl.output());
            assertEquals("Hello, World!", curl.output());
            jcorn.signal("TERM");
            assertEquals(0, jcorn.awaitExit());
            assertFalse(Files.exists(socket), "the socket file is removed on a clean exit");
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path socket = Files.createTempDirectory("jcorn-unix").resolve("stale.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close();
        assertTrue(Files.exists(socket), "a dead server's socket file");
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "unix:" + socket,
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals(200, Http.get("unix:" + socket, "/").status());
        }
    }

    @Test
    void aSocketAnotherServerListensOnIsNotTaken() throws Exception {
        Path socket = Files.createTempDirectory("jcorn-unix").resolve("live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));
            try (JcornProcess jcorn = JcornProcess.start("-b", "unix:" + socket,
                    "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
                jcorn.expectErrors("Can't bind");
                assertEquals(1, jcorn.awaitExit());
                assertEquals(1, jcorn.count("Can't bind unix:" + socket + ": another server is listening there"));
            }
            assertTrue(Files.exists(socket));
        }
    }
}
