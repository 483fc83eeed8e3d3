package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PEP 3333's start_response rules over real sockets, with the {@code ResponseRules} test app:
 * headers go out with the first non-empty chunk, a second start_response replaces the status
 * only with exc_info and only before the headers went out, and the body is closed in every case
 * (completed, failed mid-way, client gone).
 */
class StartResponseRulesIT {

    private static JcornProcess start() throws Exception {
        JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.TEST_APPS,
                "io.jcorn.master.testapps.ResponseRules");
        return jcorn.expectErrors("Error handling request");
    }

    @Test
    void aCompletedBodyIsClosed() throws Exception {
        try (JcornProcess jcorn = start()) {
            Http.Response response = Http.get(jcorn.address(), "/normal");
            assertEquals(200, response.status());
            assertEquals("one,two", response.body());
            jcorn.awaitLine("closed /normal");
        }
    }

    @Test
    void headersWaitForTheFirstNonEmptyChunkSoALaterFailureIsStillA500() throws Exception {
        try (JcornProcess jcorn = start()) {
            Http.Response response = Http.get(jcorn.address(), "/empty-then-fail");
            assertEquals(500, response.status(), response.raw());
            jcorn.awaitLine("closed /empty-then-fail");
        }
    }

    @Test
    void aFailureAfterTheHeadersCutsTheResponseShortAndClosesTheBody() throws Exception {
        try (JcornProcess jcorn = start()) {
            String raw = Http.exchange(jcorn.address(), request("/fail-mid"));
            assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n"), raw);
            assertTrue(raw.contains("partial"), raw);
            assertFalse(raw.endsWith("0\r\n\r\n"), "no last chunk: the client can tell the body is incomplete: " + raw);
            jcorn.awaitLine("closed /fail-mid");
        }
    }

    @Test
    void aSecondStartResponseWithExcInfoBeforeTheHeadersReplacesTheStatus() throws Exception {
        try (JcornProcess jcorn = start()) {
            Http.Response response = Http.get(jcorn.address(), "/replace");
            assertEquals(503, response.status(), response.raw());
            assertEquals("sorry", response.body());
            jcorn.awaitLine("closed /replace");
        }
    }

    @Test
    void aSecondStartResponseWithoutExcInfoIsAnError() throws Exception {
        try (JcornProcess jcorn = start()) {
            Http.Response response = Http.get(jcorn.address(), "/twice");
            assertEquals(500, response.status(), response.raw());
            jcorn.awaitLine("start_response called a second time without exc_info");
        }
    }

    @Test
    void excInfoAfterTheHeadersIsRethrownAndTheConnectionAborted() throws Exception {
        try (JcornProcess jcorn = start()) {
            String raw = Http.exchange(jcorn.address(), request("/exc-after-headers"));
            assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n"), raw);
            assertTrue(raw.contains("partial"), raw);
            assertFalse(raw.contains("late"), raw);
            assertFalse(raw.contains("500"), "the status can no longer change: " + raw);
            jcorn.awaitLine("too late to replace");
            jcorn.awaitLine("closed /exc-after-headers");
        }
    }

    @Test
    void aClientThatGoesAwayMidBodyStopsTheResponseAndTheBodyIsClosed() throws Exception {
        try (JcornProcess jcorn = start()) {
            try (SocketChannel client = SocketChannel.open(Http.socketAddress(jcorn.address()))) {
                client.write(ByteBuffer.wrap(request("/endless")));
                ByteBuffer some = ByteBuffer.allocate(100_000);
                while (some.hasRemaining()) client.read(some); // the endless body is flowing
            }
            jcorn.awaitLine("closed /endless");
            assertEquals(200, Http.get(jcorn.address(), "/normal").status(), "the worker serves on");
        }
    }

    private static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
