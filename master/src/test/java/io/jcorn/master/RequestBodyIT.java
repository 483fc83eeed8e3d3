package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request bodies over a real socket to the Echo example: chunked, 100-continue, and broken framing. */
class RequestBodyIT {

    @Test
    void chunkedUploadsAnd100ContinueReachTheApp() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Echo")) {
            String url = jcorn.address();
            Http.Response raw = Http.send(url, "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=\"a b\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n");
            assertEquals(200, raw.status(), raw.raw());
            assertEquals("hello world", decoded(raw));
            assertEquals("chunked", raw.environ("HTTP_TRANSFER_ENCODING"));

            // curl sends a piped upload chunked, and waits for "100 Continue" before sending it
            Path payload = Files.createTempFile("jcorn-upload", ".bin");
            try {
                Files.writeString(payload, "x".repeat(200_000));
                Shell.Result curl = Shell.exec("sh", "-c", "curl -s -S -i -H 'Expect: 100-continue' -T - " + url
                        + "/curl < " + payload);
                assertEquals(0, curl.exitCode(), curl.output());
                assertTrue(curl.output().startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"), curl.output());
                Http.Response response = Http.parse(curl.output().substring(curl.output().indexOf("HTTP/1.1 200")));
                assertEquals(200_000, decoded(response).length());
            } finally {
                Files.delete(payload);
            }

            String noBody = Http.exchange(url, ("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(noBody.startsWith("HTTP/1.1 200 "), "no 100 for an empty body: " + noBody);
        }
    }

    @Test
    void brokenFramingIsA4xxAndTheWorkerServesOn() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Echo")) {
            String url = jcorn.address();
            long worker = jcorn.workerPid(0);
            String chunked = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
            String[][] cases = {
                {chunked + "0x5\r\nhello\r\n0\r\n\r\n", "400"},
                {chunked + "5\r\nhelloXX0\r\n\r\n", "400"},
                {chunked + "0\r\nContent-Length: 5\r\n\r\n", "400"},
                {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "400"},
                {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: br, chunked\r\n\r\n", "501"},
                {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400"},
            };
            for (String[] c : cases) {
                Http.Response response = Http.send(url, c[0]);
                assertEquals(Integer.parseInt(c[1]), response.status(), c[0] + "\n" + response.raw());
                assertEquals("close", response.header("Connection"));
            }
            assertEquals(200, Http.get(url, "/").status());
            assertEquals(worker, jcorn.workerPid(0));
        }
    }

    private static String decoded(Http.Response response) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"body_b64\": \"([^\"]*)\"").matcher(response.body());
        assertTrue(m.find(), response.body());
        return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.ISO_8859_1);
    }
}
