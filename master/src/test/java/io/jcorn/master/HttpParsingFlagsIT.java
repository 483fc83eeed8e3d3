package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser flags reach the workers: each limit and opt-in seen over a real socket. */
class HttpParsingFlagsIT {

    @Test
    void limitsAndOptInsApplyInTheWorkers() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "--limit-request-line", "64", "--limit-request-fields", "3", "--limit-request-field_size", "40",
                "--permit-unconventional-http-method", "--casefold-http-method", "--permit-obsolete-folding",
                "--header-map", "refuse", "io.jcorn.examples.Echo")) {
            String url = jcorn.address();
            String[][] refused = {
                {"GET /" + "a".repeat(60) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
                {"GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", "431"},
                {"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "b".repeat(40) + "\r\n\r\n", "431"},
                {"GET / HTTP/1.1\r\nHost: x\r\nX_Under: 1\r\n\r\n", "400"},
            };
            for (String[] c : refused) {
                Http.Response response = Http.send(url, c[0]);
                assertEquals(Integer.parseInt(c[1]), response.status(), c[0]);
                assertTrue(response.header("Content-Type").startsWith("text/plain"), response.raw());
                assertEquals("close", response.header("Connection"));
            }
            Http.Response folded = Http.send(url, "get / HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n  b\r\n\r\n");
            assertEquals(200, folded.status(), folded.raw());
            assertEquals("GET", folded.environ("REQUEST_METHOD"), folded.body());
            assertEquals("a b", folded.environ("HTTP_X_FOLD"), folded.body());
        }
    }

    @Test
    void badParserFlagsAreOneLineAndExitCodeTwo() throws Exception {
        for (String[] args : new String[][] {{"--limit-request-line", "-1", "io.jcorn.examples.Hello"},
                {"--limit-request-fields", "-1", "io.jcorn.examples.Hello"},
                {"--limit-request-field_size", "-1", "io.jcorn.examples.Hello"},
                {"--header-map", "keep", "io.jcorn.examples.Hello"}}) {
            try (JcornProcess jcorn = JcornProcess.start(args)) {
                assertEquals(2, jcorn.awaitExit(), jcorn.output());
                assertEquals(1, jcorn.lines().size(), jcorn.output());
                assertTrue(jcorn.lines().getFirst().startsWith("jcorn: "), jcorn.output());
            }
        }
    }
}
