package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScalingIT {

    @Test
    void ttinAddsAWorkerAndTtouRemovesOneButNeverTheLast() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.signal("TTIN");
            jcorn.awaitLine("Worker 2 \\(pid:\\d+\\) booted");
            assertEquals(3, jcorn.workerPids().size());
            for (int i = 0; i < 3; i++) {
                jcorn.signal("TTOU");
                jcorn.awaitLine("Handling signal: ttou", i + 1);
            }
            jcorn.awaitLine("Worker 2 \\(pid:\\d+\\) stopped: one worker fewer");
            jcorn.awaitLine("Worker 1 \\(pid:\\d+\\) stopped: one worker fewer");
            for (int i = 0; i < 100 && jcorn.workerPids().size() != 1; i++) JcornProcess.sleep(50);
            assertEquals(1, jcorn.workerPids().size());
            assertEquals(jcorn.workerPid(0), jcorn.workerPids().getFirst());
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }
}
