package io.jcorn.master;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every worker class promises: graceful stop with requests in flight, --request-timeout,
 * --max-requests; and what the classes with several connections add: the connection cap, and a
 * full worker leaving new connections to the others.
 */
class WorkerClassesIT {
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    // One server per class for both promises: a JVM start per test is most of a test's time.
    @ParameterizedTest
    @ValueSource(strings = {"sync", "gthread", "virtual"})
    void aHungRequestGetsA503AndGracefulStopLetsRequestsInFlightFinish(String workerClass) throws Exception {
        int inFlight = workerClass.equals("sync") ? 2 : 4;
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-k", workerClass, "--threads", "2",
                "--request-timeout", "3", "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Slow")) {
            String url = jcorn.address();
            List<Long> workers = jcorn.workerPids();
            Http.Response hung = Http.getOnce(url, "/?seconds=30");
            assertEquals(503, hung.status(), hung.raw());
            jcorn.awaitLine("Request timed out after 3 s: GET /\\?seconds=30 \\(answered 503\\)");
            assertEquals(200, Http.getOnce(url, "/?seconds=0").status());
            assertEquals(workers, jcorn.workerPids(), "the workers serve on");

            List<CompletableFuture<Http.Response>> requests = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) requests.add(async(url, "/?seconds=2"));
            JcornProcess.sleep(700);
            jcorn.signal("TERM");
            for (CompletableFuture<Http.Response> request : requests) {
                Http.Response response = request.get();
                assertEquals(200, response.status(), response.raw());
                assertEquals("Slept 2.0 s\n", response.body());
            }
            assertEquals(0, jcorn.awaitExit());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gthread", "virtual"})
    void maxRequestsRecyclesTheWorker(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-k", workerClass, "--max-requests", "3",
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            long first = jcorn.workerPid(0);
            for (int i = 0; i < 3; i++) assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
            jcorn.awaitLine("Autorestarting worker after current request");
            jcorn.awaitBooted(2);
            assertTrue(jcorn.workerPid(0) != first);
            assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gthread", "virtual"})
    void atTheConnectionCapAWorkerStopsAccepting(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-k", workerClass, "--worker-connections", "2",
                "--keep-alive", "30", "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello");
             SocketChannel one = SocketChannel.open(Http.socketAddress(jcorn.address()));
             SocketChannel two = SocketChannel.open(Http.socketAddress(jcorn.address()))) {
            for (SocketChannel kept : List.of(one, two)) {
                kept.write(ByteBuffer.wrap(GET));
                assertTrue(KeepAliveIT.readResponse(kept).startsWith("HTTP/1.1 200 OK"));
            }
            // two idle keep-alive connections fill the worker: a third waits in the kernel's queue
            CompletableFuture<Http.Response> third = async(jcorn.address(), "/");
            JcornProcess.sleep(1000);
            assertFalse(third.isDone(), "served over the cap");
            one.close();
            assertEquals(200, third.get().status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "gthread"})
    void aWorkerWithEveryThreadBusyLeavesNewConnectionsToTheOthers(String workerClass) throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-k", workerClass, "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Slow")) {
            // its request a moment after the connect, as most clients send: the worker must count
            // the thread busy before its acceptor takes another connection
            CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel client = SocketChannel.open(Http.socketAddress(jcorn.address()))) {
                    JcornProcess.sleep(5);
                    client.write(ByteBuffer.wrap("GET /?seconds=3 HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII)));
                    return KeepAliveIT.readResponse(client);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofPlatform().daemon().start(runnable));
            JcornProcess.sleep(500);
            for (int i = 0; i < 6; i++) assertEquals(200, Http.getOnce(jcorn.address(), "/?seconds=0").status());
            assertFalse(slow.isDone(), "the quick requests did not wait behind the slow one");
            assertTrue(slow.get().startsWith("HTTP/1.1 200 OK"), slow.get());
        }
    }

    @Test
    void threadsAboveOneMakeASyncWorkerAGthreadOne() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "--threads", "4", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Echo")) {
            assertTrue(jcorn.output().contains("Using worker: gthread"), jcorn.output());
            String both = Http.exchange(jcorn.address(), (new String(GET, StandardCharsets.US_ASCII).repeat(2))
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(2, both.split("HTTP/1.1 200 OK", -1).length - 1, "kept alive: " + both);
        }
    }

    static CompletableFuture<Http.Response> async(String url, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Http.getOnce(url, path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }
}
