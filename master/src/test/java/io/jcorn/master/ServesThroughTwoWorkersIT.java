package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServesThroughTwoWorkersIT {

    @Test
    void twoWorkersShareTheMastersSocketAndServeHello() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            String url = jcorn.address();
            for (int i = 0; i < 100; i++) {
                Http.Response response = Http.get(url, "/");
                assertEquals(200, response.status());
                assertEquals("Hello, World!", response.body());
                assertEquals("close", response.header("Connection"));
                assertEquals("jcorn", response.header("Server"));
                assertEquals("text/plain", response.header("Content-Type"));
            }
            try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
                List<Future<Http.Response>> responses = new ArrayList<>();
                for (int i = 0; i < 200; i++) responses.add(clients.submit(() -> Http.get(url, "/")));
                for (Future<Http.Response> response : responses) assertEquals(200, response.get().status());
            }
            List<Long> workers = jcorn.workerPids();
            assertEquals(2, workers.size(), jcorn.output());
            String listeners = Shell.run("ss", "-ltnpH", "sport = :" + jcorn.port());
            assertTrue(listeners.contains("pid=" + jcorn.masterPid() + ","), listeners);
            for (long worker : workers) assertTrue(listeners.contains("pid=" + worker + ","), listeners);
        }
    }
}
