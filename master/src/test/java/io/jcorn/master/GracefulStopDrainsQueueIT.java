package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GracefulStopDrainsQueueIT {

    @Test
    void connectionsWaitingInTheAcceptQueueAreServedBeforeTheServerStops() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-w", "1", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Slow")) {
            String url = jcorn.address();
            List<CompletableFuture<Integer>> requests = new ArrayList<>();
            requests.add(request(url, "/?seconds=2"));
            JcornProcess.sleep(500); // the only worker is busy with it: the next ones wait in the kernel's queue
            for (int i = 0; i < 3; i++) requests.add(request(url, "/?seconds=0"));
            JcornProcess.sleep(300);
            jcorn.signal("TERM");
            for (int i = 0; i < requests.size(); i++) assertEquals(200, requests.get(i).get(), "request " + i + ":\n" + jcorn.output());
            assertEquals(0, jcorn.awaitExit());
        }
    }

    // Each request on its own thread: the common pool may have a single one on a small machine.
    private static CompletableFuture<Integer> request(String url, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Http.get(url, path).status();
            } catch (Exception e) {
                System.err.println(path + ": " + e);
                return -1;
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }
}
