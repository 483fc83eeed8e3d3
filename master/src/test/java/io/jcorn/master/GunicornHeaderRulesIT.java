package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gunicorn 26.1's request header rules, seen over a real socket from a real worker. */
class GunicornHeaderRulesIT {

    private static JcornProcess echo(String... flags) throws Exception {
        String[] args = new String[flags.length + 5];
        System.arraycopy(new String[] {"-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES}, 0, args, 0, 4);
        System.arraycopy(flags, 0, args, 4, flags.length);
        args[args.length - 1] = "io.jcorn.examples.Echo";
        return JcornProcess.serving(1, args);
    }

    private static String get(String... lines) {
        StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (String line : lines) raw.append(line).append("\r\n");
        return raw.append("Connection: close\r\n\r\n").toString();
    }

    /** A refusal is a short text/plain answer, the connection closed, and the worker serves on. */
    private static void assertRefused(JcornProcess jcorn, int status, String request) throws Exception {
        Http.Response response = Http.send(jcorn.address(), request);
        assertEquals(status, response.status(), request + "\n" + response.raw());
        assertTrue(response.header("Content-Type").startsWith("text/plain"), response.raw());
        assertEquals("close", response.header("Connection"), response.raw());
    }

    private static Http.Response assertServed(JcornProcess jcorn, String request) throws Exception {
        Http.Response response = Http.send(jcorn.address(), request);
        assertEquals(200, response.status(), request + "\n" + response.raw());
        return response;
    }

    @Test
    void aRepeatedSingletonFieldIsRefused() throws Exception {
        try (JcornProcess jcorn = echo()) {
            long worker = jcorn.workerPid(0);
            assertRefused(jcorn, 400, get("Content-Type: text/plain", "Content-Type: application/json"));
            assertRefused(jcorn, 400, get("Content-Type: text/plain", "content-type: text/plain"));
            assertRefused(jcorn, 400, "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n");
            assertRefused(jcorn, 400, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab");
            Http.Response one = assertServed(jcorn, get("Content-Type: text/plain"));
            assertEquals("text/plain", one.environ("CONTENT_TYPE"), one.body());
            assertEquals(worker, jcorn.workerPid(0));
            assertTrue(JcornProcess.alive(worker));
        }
    }

    @Test
    void limitsAboveGunicornsBoundsStartAndCountAsItCounts() throws Exception {
        String path8190 = "/" + "a".repeat(8190 - 14); // "GET " + path + " HTTP/1.1" is 8190 bytes
        try (JcornProcess jcorn = echo("--limit-request-line", "20000", "--limit-request-fields", "50000",
                "--limit-request-field_size", "98")) {
            assertServed(jcorn, "GET " + path8190 + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertRefused(jcorn, 414, "GET " + path8190 + "a HTTP/1.1\r\nHost: x\r\n\r\n");
            // the field size counts the line's CRLF: a 97-byte line is one byte too many for 98
            assertRefused(jcorn, 431, get("X-A: " + "v".repeat(92)));
            Http.Response at = assertServed(jcorn, get("X-A: " + "v".repeat(91)));
            assertEquals("v".repeat(91), at.environ("HTTP_X_A"), at.body());
        }
    }

    @Test
    void zeroLimitsMeanGunicornsBoundsNotNone() throws Exception {
        String longPath = "/" + "a".repeat(200_000);
        try (JcornProcess jcorn = echo("--limit-request-line", "0", "--limit-request-field_size", "0")) {
            Http.Response served = assertServed(jcorn, "GET " + longPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(served.body().contains("\"PATH_INFO\": \"" + longPath + "\""), "the whole path reaches the app");
            assertRefused(jcorn, 414, "GET /" + "a".repeat(1024 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertRefused(jcorn, 431, get("X-A: " + "v".repeat(8190 - 6)));
            assertServed(jcorn, get("X-A: " + "v".repeat(8190 - 7)));
        }
    }

    @Test
    void stripHeaderSpacesIsAcceptedAndDoesWhatGunicornsDoes() throws Exception {
        try (JcornProcess jcorn = echo()) {
            assertRefused(jcorn, 400, get("X-Spaced : v"));
        }
        try (JcornProcess jcorn = echo("--strip-header-spaces")) {
            Http.Response stripped = assertServed(jcorn, get("X-Spaced \t: v"));
            assertEquals("v", stripped.environ("HTTP_X_SPACED"), stripped.body());
            assertRefused(jcorn, 400, get("X Spaced: v"));
        }
    }

    @Test
    void underDangerousHeaderMapTheCgiKeysComeFromTheRealFieldsOnly() throws Exception {
        try (JcornProcess jcorn = echo("--header-map", "dangerous")) {
            Http.Response alone = assertServed(jcorn, "POST / HTTP/1.1\r\nHost: x\r\nContent_Length: 5\r\n"
                    + "Content_Type: text/evil\r\nConnection: close\r\n\r\n");
            assertNull(alone.environ("CONTENT_LENGTH"), alone.body());
            assertNull(alone.environ("CONTENT_TYPE"), alone.body());
            assertEquals("5", alone.environ("HTTP_CONTENT_LENGTH"), alone.body());
            assertEquals("text/evil", alone.environ("HTTP_CONTENT_TYPE"), alone.body());
            assertEquals("", alone.environ("body_b64"), "Content_Length frames no body");

            Http.Response beside = assertServed(jcorn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                    + "Content_Length: 5\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nab");
            assertEquals("2", beside.environ("CONTENT_LENGTH"), beside.body());
            assertEquals("5", beside.environ("HTTP_CONTENT_LENGTH"), beside.body());
            assertEquals("text/plain", beside.environ("CONTENT_TYPE"), beside.body());
            assertEquals("YWI=", beside.environ("body_b64"), beside.body());
        }
    }
}
