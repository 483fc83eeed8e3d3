package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KilledWorkerIsReplacedIT {

    @Test
    void aWorkerKilledFromOutsideIsReplacedUnderTheSameNumber() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.expectErrors("Worker 1 \\(pid:\\d+\\) was killed by SIGKILL from outside jcorn");
            String url = jcorn.address();
            long victim = jcorn.workerPid(1);
            JcornProcess.kill("KILL", victim);
            int ok = 0;
            for (int i = 0; i < 50; i++) {
                try {
                    if (Http.get(url, "/").status() == 200) ok++;
                } catch (IOException e) {
                    // a connection the dying worker had taken
                }
            }
            assertTrue(ok >= 49, "requests kept being served by the other worker: " + ok + " of 50");
            jcorn.awaitLine("Worker 1 \\(pid:" + victim + "\\) was killed by SIGKILL from outside jcorn");
            jcorn.awaitBooted(3);
            long replacement = jcorn.workerPid(1);
            assertNotEquals(victim, replacement);
            assertTrue(jcorn.workerPids().contains(replacement));
            assertEquals(2, jcorn.workerPids().size());
            assertEquals(200, Http.get(url, "/").status());
        }
    }
}
