package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GracefulStopIT {

    @Test
    void termLetsTheRequestInFlightFinishThenExitsZero() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Slow")) {
            String url = jcorn.address();
            List<Long> workers = jcorn.workerPids();
            CompletableFuture<Http.Response> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(url, "/?seconds=2");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofPlatform().daemon().start(runnable));
            JcornProcess.sleep(500);
            jcorn.signal("TERM");
            Http.Response response = inFlight.get();
            assertEquals(200, response.status());
            assertEquals("Slept 2.0 s\n", response.body());
            assertEquals(0, jcorn.awaitExit());
            assertTrue(jcorn.output().contains("Handling signal: term"));
            assertTrue(jcorn.output().contains("Shutting down: Master"));
            for (long worker : workers) assertFalse(JcornProcess.alive(worker));
        }
    }

    @Test
    void intStopsAtOnceAndExitsZero() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Slow")) {
            List<Long> workers = jcorn.workerPids();
            jcorn.signal("INT");
            assertEquals(0, jcorn.awaitExit());
            assertTrue(jcorn.output().contains("Handling signal: int"));
            for (long worker : workers) assertFalse(JcornProcess.alive(worker));
        }
    }
}
