package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Response headers in Gunicorn's order: status line, Server (the name only, no version),
 * Date, Connection, Transfer-Encoding when chunked, then the app's own headers.
 */
class ResponseHeadersIT {

    @Test
    void serverDateConnectionAndChunkedComeFirstThenTheApps() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.TEST_APPS,
                "io.jcorn.master.testapps.Streaming")) {
            List<String> names = names(Http.exchange(jcorn.address(),
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals(List.of("Server: jcorn", "Date", "Connection: close", "Transfer-Encoding: chunked",
                    "Content-Type: text/plain"), names);
        }
    }

    @Test
    void keptAliveConnectionsSayKeepAlive() throws Exception {
        try (JcornProcess jcorn = JcornProcess.start(Map.of("JCORN_KEEP_CONNECTIONS", "true"), "-b", "127.0.0.1:0",
                "--keep-alive", "1", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.awaitBooted(1);
            String raw = Http.exchange(jcorn.address(), ("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            List<String> first = names(raw);
            assertEquals(List.of("Server: jcorn", "Date", "Connection: keep-alive", "Content-Type: text/plain",
                    "Content-Length: 13"), first);
            assertTrue(raw.substring(raw.indexOf("HTTP/1.1 200", 1)).contains("Connection: close\r\n"), raw);
        }
    }

    /** The first response's header lines; Date's value left out, since it changes. */
    private static List<String> names(String raw) {
        String head = raw.substring(raw.indexOf("\r\n") + 2, raw.indexOf("\r\n\r\n"));
        return java.util.Arrays.stream(head.split("\r\n")).map(l -> l.startsWith("Date: ") ? "Date" : l).toList();
    }
}
