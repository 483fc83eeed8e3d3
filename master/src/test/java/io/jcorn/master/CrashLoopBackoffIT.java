package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CrashLoopBackoffIT {

    @Test
    void aWorkerThatKeepsCrashingAfterBootIsRespawnedMoreSlowly() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-w", "1", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.TEST_APPS, "io.jcorn.master.testapps.CrashesOnRequest")) {
            jcorn.expectErrors("Worker 0 \\(pid:\\d+\\) exited unexpectedly with code 7");
            for (int crash = 1; crash <= 4; crash++) {
                try {
                    Http.get(jcorn.address(), "/");
                } catch (IOException expected) {
                    // the worker died under the request
                }
                jcorn.awaitLine("exited unexpectedly with code 7", crash);
                jcorn.awaitBooted(crash + 1);
            }
            jcorn.awaitLine("Worker 0 keeps crashing; respawning it in 1 s");
            assertTrue(JcornProcess.alive(jcorn.masterPid()));
        }
    }
}
