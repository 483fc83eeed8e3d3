package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HungWorkerIsReplacedIT {

    @Test
    void aWorkerSilentPastTheTimeoutIsKilledAndReplaced() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-w", "1", "-t", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Slow")) {
            jcorn.expectErrors("WORKER TIMEOUT").expectErrors("was killed by the master after timing out");
            String url = jcorn.address();
            long hung = jcorn.workerPid(0);
            String answer;
            try {
                answer = Http.exchange(url, "GET /?seconds=60 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            } catch (IOException reset) {
                answer = "";
            }
            assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
            jcorn.awaitLine("WORKER TIMEOUT \\(pid:" + hung + "\\): silent for 2 s; its thread dump follows");
            jcorn.awaitLine("Full thread dump");
            jcorn.awaitLine("at io\\.jcorn\\.examples\\.Slow\\.call");
            jcorn.awaitLine("Worker 0 \\(pid:" + hung + "\\) was killed by the master after timing out");
            jcorn.awaitBooted(2);
            assertFalse(JcornProcess.alive(hung));
            assertEquals(200, Http.get(url, "/?seconds=0").status());
        }
    }
}
