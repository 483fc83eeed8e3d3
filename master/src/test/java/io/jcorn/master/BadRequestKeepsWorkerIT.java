package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadRequestKeepsWorkerIT {
    private static final String CLASSPATH = JcornProcess.EXAMPLES + ":" + JcornProcess.TEST_APPS;

    @Test
    void malformedRequestsGetA4xxAndTheWorkerServesOn() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", CLASSPATH,
                "io.jcorn.examples.Hello")) {
            String url = jcorn.address();
            long worker = jcorn.workerPid(0);
            String[][] cases = {
                {"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", "400"},
                {"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
                {"GET / HTTP/1.1\r\n\r\n", "400"},
                {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
                {"GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
                {"GET / HTTP/1.1\r\nHost: x\r\nX: " + "b".repeat(9000) + "\r\n\r\n", "431"},
                {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "400"},
                {"\u0001\u0002garbage\r\n\r\n", "400"},
            };
            for (String[] c : cases) {
                Http.Response response = Http.send(url, c[0]);
                assertEquals(Integer.parseInt(c[1]), response.status(), c[0]);
                assertTrue(response.header("Content-Type").startsWith("text/plain"));
                assertEquals("close", response.header("Connection"));
                assertFalse(response.body().isEmpty());
            }
            assertEquals(200, Http.get(url, "/").status());
            assertEquals(worker, jcorn.workerPid(0));
            assertTrue(JcornProcess.alive(worker));
            assertEquals(0, jcorn.count("exited|killed"), jcorn.output());
        }
    }

    @Test
    void anAppThatThrowsGivesA500AndTheWorkerLivesOn() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", CLASSPATH,
                "io.jcorn.master.testapps.Failing")) {
            jcorn.expectErrors("Error handling request");
            long worker = jcorn.workerPid(0);
            for (int i = 0; i < 3; i++) assertEquals(500, Http.get(jcorn.address(), "/boom").status());
            jcorn.awaitLine("\\[ERROR\\] Error handling request /boom", 3);
            assertTrue(jcorn.output().contains("java.lang.IllegalStateException: this app always fails"));
            assertTrue(JcornProcess.alive(worker));
            assertEquals(1, jcorn.count("Booting worker"));
        }
    }

    @Test
    void aBodyWithoutLengthIsChunkedFor11AndCloseDelimitedFor10() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", CLASSPATH,
                "io.jcorn.master.testapps.Streaming")) {
            Http.Response http11 = Http.get(jcorn.address(), "/");
            assertEquals("chunked", http11.header("Transfer-Encoding"));
            assertTrue(http11.raw().endsWith("\r\n0\r\n\r\n"), http11.raw());
            assertEquals("one,two,three", http11.body());
            Http.Response http10 = Http.send(jcorn.address(), "GET / HTTP/1.0\r\n\r\n");
            assertEquals(null, http10.header("Transfer-Encoding"));
            assertEquals(null, http10.header("Content-Length"));
            assertEquals("one,two,three", http10.body());
        }
    }
}
