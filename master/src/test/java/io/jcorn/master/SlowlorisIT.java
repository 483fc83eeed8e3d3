package io.jcorn.master;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients that open connections and send a request head too slowly (or never finish it, or never
 * send a byte) do not keep a worker from serving others, and are closed after
 * --header-read-timeout.
 */
class SlowlorisIT {
    private static final int SLOW_CLIENTS = 1000;

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "gthread"})
    void aThousandSlowClientsDoNotStopAWorkerFromServing(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-k", workerClass, "--threads", "2", "--worker-connections", "1100",
                "--header-read-timeout", "5", "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Hello")) {
            List<SocketChannel> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW_CLIENTS; i++) {
                    SocketChannel client = SocketChannel.open(Http.socketAddress(jcorn.address()));
                    // half of them never send a byte
                    if (i % 2 == 0) {
                        client.write(ByteBuffer.wrap("GET /slow HTTP/1.1\r\nHost: x\r\nX-Wait: ".getBytes(StandardCharsets.US_ASCII)));
                    }
                    slow.add(client);
                }
                for (int i = 0; i < 20; i++) assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
                // past the header timeout the worker has closed every one of them
                int closed = 0;
                for (SocketChannel client : slow) {
                    if (KeepAliveIT.readUntilClosed(client).isEmpty()) closed++;
                }
                assertEquals(SLOW_CLIENTS, closed);
                assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
            } finally {
                for (SocketChannel client : slow) client.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "gthread"})
    void aClientThatSendsNoWholeHeadIsClosedAndTheNextServed(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-k", workerClass, "--header-read-timeout", "1",
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello");
             SocketChannel silent = SocketChannel.open(Http.socketAddress(jcorn.address()))) {
            silent.write(ByteBuffer.wrap("GET / HT".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("", readOrReset(silent));
            assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
        }
    }

    @Test
    void connectionsThatSendNothingHoldNoGthreadThread() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-k", "gthread", "--threads", "1", "--keep-alive", "30",
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            List<SocketChannel> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) silent.add(SocketChannel.open(Http.socketAddress(jcorn.address())));
                for (int i = 0; i < 3; i++) assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
            } finally {
                for (SocketChannel client : silent) client.close();
            }
        }
    }

    private static String readOrReset(SocketChannel channel) {
        try {
            return KeepAliveIT.readUntilClosed(channel);
        } catch (IOException e) {
            return "";
        }
    }
}
