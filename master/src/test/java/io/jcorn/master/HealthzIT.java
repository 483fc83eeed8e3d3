package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code /healthz} on --metrics-bind, what load balancers and Kubernetes probes ask: 200 while a
 * worker serves; 503 while none does (booting, stopped by WINCH) and from the moment the master
 * stops, while its workers finish their requests.
 */
class HealthzIT {
    private static final String APP = "io.jcorn.master.testapps.SlowToBoot";

    @Test
    void answersWhetherAWorkerServes() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-healthz");
        String metrics = "unix:" + dir.resolve("metrics.sock");
        try (JcornProcess jcorn = JcornProcess.start("-b", "127.0.0.1:0", "--metrics-bind", metrics,
                "--classpath", JcornProcess.TEST_APPS, APP)) {
            jcorn.awaitLine("Metrics at: ");
            SocketChannel silent = SocketChannel.open(Http.socketAddress(metrics));
            awaitHealth(metrics, 503, "unavailable: no worker serves (1 booting)");
            jcorn.awaitBooted(1);
            awaitHealth(metrics, 200, "ok: 1 of 1 workers serving"); // the silent client holds up nothing

            jcorn.signal("WINCH");
            awaitHealth(metrics, 503, "unavailable: no worker serves");
            jcorn.signal("TTIN");
            jcorn.awaitBooted(2);
            awaitHealth(metrics, 200, "ok: 1 of 1 workers serving");

            CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> get(jcorn.address(), "/?seconds=3"));
            awaitInFlight(metrics);
            jcorn.signal("TERM");
            awaitHealth(metrics, 503, "unavailable: the master is stopping");
            assertEquals(200, slow.get().status(), "the request in hand is served");
            assertEquals(0, jcorn.awaitExit());
            silent.close();
        }
    }

    private static void awaitHealth(String metrics, int status, String text) {
        Http.Response last = null;
        for (int i = 0; i < 600; i++) {
            last = get(metrics, "/healthz");
            if (last.status() == status && last.body().startsWith(text)) {
                assertEquals("text/plain; charset=utf-8", last.header("Content-Type"));
                return;
            }
            JcornProcess.sleep(50);
        }
        fail("no " + status + " '" + text + "' from /healthz; last: " + last.status() + " " + last.body());
    }

    private static void awaitInFlight(String metrics) {
        for (int i = 0; i < 600; i++) {
            if (get(metrics, "/metrics").body().contains("\njcorn_requests_in_flight 1\n")) return;
            JcornProcess.sleep(50);
        }
        fail("the slow request never came in flight");
    }

    private static Http.Response get(String address, String path) {
        try {
            return Http.get(address, path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
