package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketActivationIT {

    @Test
    void servesOnTheSocketsSystemdPassesAndLeavesTheirFiles() throws Exception {
        Path socket = Files.createTempDirectory("jcorn-activation").resolve("activated.sock");
        String launcher = JcornProcess.HOME.resolve("master/target/test-classes/activate.py").toString();
        try (JcornProcess jcorn = JcornProcess.startVia(List.of("python3", launcher, socket.toString()), Map.of(),
                "-w", "2", "-b", "127.0.0.1:1", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.awaitBooted(2);
            assertEquals(1, jcorn.count("Using 2 listening socket\\(s\\) passed by systemd"), jcorn.output());
            String tcp = jcorn.awaitLine("Listening at: (http://127\\.0\\.0\\.1:\\d+) ").group(1);
            jcorn.awaitLine("Listening at: unix:" + socket);
            assertEquals(0, jcorn.count("127\\.0\\.0\\.1:1 "), "-b is ignored when sockets are passed");
            assertEquals("Hello, World!", Http.get(tcp, "/").body());
            assertEquals("Hello, World!", Http.get("unix:" + socket, "/").body());
            jcorn.signal("TERM");
            assertEquals(0, jcorn.awaitExit());
            assertTrue(Files.exists(socket), "the socket file belongs to whoever passed the socket");
        }
    }
}
