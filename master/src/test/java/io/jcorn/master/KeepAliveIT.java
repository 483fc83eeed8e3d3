package io.jcorn.master;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keep-alive connection path of the gthread and virtual workers: pipelined requests answered
 * in order on one connection, HTTP/1.0 keep-alive, unread bodies skipped, "Connection: close"
 * honoured, and the idle limit. Sync workers close after each response.
 */
class KeepAliveIT {
    private static final Pattern PATH = Pattern.compile("\"PATH_INFO\": \"([^\"]*)\"");

    @ParameterizedTest
    @ValueSource(strings = {"gthread", "virtual"})
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.start("-k", workerClass, "-b", "127.0.0.1:0", "--keep-alive", "1", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Echo")) {
            jcorn.awaitBooted(1);
            String url = jcorn.address();
            String pipelined = "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "HEAD /four HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /five HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /six HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + "GET /never HTTP/1.1\r\nHost: x\r\n\r\n";
            // the server closes after /six: everything up to then came back on this one connection
            String all = Http.exchange(url, pipelined.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(6, count(all, "HTTP/1.1 200 OK"), all);
            Matcher paths = PATH.matcher(all);
            StringBuilder order = new StringBuilder();
            while (paths.find()) order.append(paths.group(1));
            assertEquals("/one/two/three/five/six", order.toString(), "HEAD has no body; the rest in order");
            assertTrue(all.contains("Connection: keep-alive"), "HTTP/1.0 keep-alive is confirmed");
            assertEquals(1, count(all, "Connection: close"), all);
            assertFalse(all.contains("/never"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gthread", "virtual"})
    void unreadBodiesAreSkippedAndIdleConnectionsClose(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.start("-k", workerClass, "-b", "127.0.0.1:0", "--keep-alive", "1", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.awaitBooted(1);
            // Hello never reads the body: the worker skips it to reach the next request
            String twoPosts = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n";
            String answers = Http.exchange(jcorn.address(), twoPosts.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(2, count(answers, "HTTP/1.1 200 OK"), answers);

            // requests one at a time on one connection, then silence: the worker closes after the idle limit
            try (SocketChannel idle = SocketChannel.open(Http.socketAddress(jcorn.address()))) {
                for (int i = 0; i < 3; i++) {
                    idle.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    String answer = readResponse(idle);
                    assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
                }
                assertEquals("", readUntilClosed(idle));
            }
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }

    @Test
    void syncWorkersCloseAfterEachResponseByDefault() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Hello")) {
            String two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
            String all = Http.exchange(jcorn.address(), two.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(1, count(all, "HTTP/1.1 200 OK"), all);
            assertTrue(all.contains("Connection: close"), all);
        }
    }

    /** Reads one response of Hello (its Content-Length is known) off a connection that stays open. */
    static String readResponse(SocketChannel channel) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (true) {
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            Matcher length = Pattern.compile("Content-Length: (\\d+)").matcher(text);
            if (end >= 0 && length.find() && text.length() >= end + 4 + Integer.parseInt(length.group(1))) return text;
            if (channel.read(in.clear()) < 0) return text;
            received.write(in.array(), 0, in.position());
        }
    }

    static String readUntilClosed(SocketChannel channel) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (channel.read(in.clear()) > 0) received.write(in.array(), 0, in.position());
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
