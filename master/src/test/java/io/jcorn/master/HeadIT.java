package io.jcorn.master;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HEAD gets the headers GET would get and not one body byte: the app's Content-Length is kept,
 * a streamed body is not announced as chunked, a file is not sent, and a kept-alive connection
 * goes on to the next request right after the headers.
 */
class HeadIT {
    @TempDir
    Path dir;

    @Test
    void headersOnlyAndTheConnectionGoesOn() throws Exception {
        try (JcornProcess jcorn = JcornProcess.start(Map.of("JCORN_KEEP_CONNECTIONS", "true"), "-b", "127.0.0.1:0",
                "--keep-alive", "2", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.awaitBooted(1);
            String pipelined = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            String all = Http.exchange(jcorn.address(), pipelined.getBytes(StandardCharsets.ISO_8859_1));
            int second = all.indexOf("HTTP/1.1 200 OK", 1);
            assertTrue(second > 0, all);
            String head = all.substring(0, second);
            assertTrue(head.contains("Content-Length: 13\r\n"), "Content-Length as for GET: " + head);
            assertTrue(head.contains("Connection: keep-alive\r\n"), head);
            assertTrue(head.endsWith("\r\n\r\n"), "nothing after the headers: " + head);
            assertFalse(head.contains("Hello"), head);
            assertTrue(all.endsWith("\r\n\r\nHello, World!"), "the next request is answered: " + all);
        }
    }

    @Test
    void aStreamedBodyIsNeitherSentNorAnnouncedAsChunked() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.TEST_APPS,
                "io.jcorn.master.testapps.Streaming")) {
            String raw = Http.exchange(jcorn.address(), "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n"), raw);
            assertTrue(raw.endsWith("\r\n\r\n"), raw);
            assertFalse(raw.contains("Transfer-Encoding"), raw);
            assertFalse(raw.contains("one,"), raw);
        }
    }

    @Test
    void aFileIsAnnouncedButNotSent() throws Exception {
        Path file = Files.writeString(dir.resolve("page.html"), "<p>a page</p>\n");
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.TEST_APPS,
                "io.jcorn.master.testapps.ServesFile")) {
            String raw = Http.exchange(jcorn.address(),
                    ("HEAD /?path=" + file + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(raw.contains("Content-Length: 14\r\n"), raw);
            assertTrue(raw.endsWith("\r\n\r\n"), raw);
        }
    }
}
