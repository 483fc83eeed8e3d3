package io.jcorn.master;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stopping worker's kept-alive connections: the next request on one is answered, with
 * "Connection: close"; one that stays idle is ended with a FIN, never a reset, and what its
 * client still sends after the FIN is read and dropped rather than left to turn the close into a
 * reset. All within --graceful-timeout, even when --keep-alive is longer.
 */
class StoppingWorkerEndsIdleConnectionsWithAFinIT {
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @ValueSource(strings = {"gthread", "virtual"})
    void theNextRequestIsAnsweredAndAnIdleConnectionGetsAFin(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-w", "1", "-k", workerClass, "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello");
             Socket busy = connect(jcorn); Socket idle = connect(jcorn)) {
            assertEquals("keep-alive", exchange(busy));
            assertEquals("keep-alive", exchange(idle));
            jcorn.signal("WINCH");
            // the worker learns of its stop a moment later: until then its answers keep the connection
            String connection = exchange(busy);
            for (int i = 0; i < 200 && connection.equals("keep-alive"); i++) {
                JcornProcess.sleep(20);
                connection = exchange(busy);
            }
            assertEquals("close", connection, "a stopping worker answers the next request, with close");
            assertEquals(-1, busy.getInputStream().read());
            assertEndsWithAFin(idle);
            jcorn.awaitLine("stopped by WINCH");
        }
    }

    @Test
    void idleConnectionsEndBeforeTheGracefulTimeoutRunsOut() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-w", "1", "-k", "gthread", "--keep-alive", "300",
                "--graceful-timeout", "5", "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Hello");
             Socket idle = connect(jcorn)) {
            assertEquals("keep-alive", exchange(idle));
            jcorn.signal("WINCH");
            assertEndsWithAFin(idle);
            jcorn.awaitLine("stopped by WINCH");
            assertEquals(0, jcorn.count("did not stop within"), jcorn.output());
        }
    }

    /** The client reads the end, not a reset, and a request it sends across the FIN is dropped, not reset. */
    private static void assertEndsWithAFin(Socket idle) throws IOException {
        InputStream in = idle.getInputStream();
        OutputStream out = idle.getOutputStream();
        assertEquals(-1, in.read(), "the end of an idle connection");
        out.write(GET);
        out.flush();
        JcornProcess.sleep(200);
        assertEquals(-1, in.read(), "no reset for a request that crossed the FIN");
        out.write(GET);
        out.flush();
        JcornProcess.sleep(200);
        assertEquals(-1, in.read(), "no reset for a request that crossed the FIN");
    }

    private static Socket connect(JcornProcess jcorn) throws IOException {
        Socket socket = new Socket("127.0.0.1", jcorn.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** One request on a kept connection; returns its answer's Connection header. */
    private static String exchange(Socket socket) throws IOException {
        socket.getOutputStream().write(GET);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) fail("the connection ended before the answer: " + head);
            head.append((char) c);
        }
        Http.Response response = Http.parse(head.toString());
        assertEquals(200, response.status(), head.toString());
        in.readNBytes(Integer.parseInt(response.header("Content-Length")));
        return response.header("Connection");
    }
}
