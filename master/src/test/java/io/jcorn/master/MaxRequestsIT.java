package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MaxRequestsIT {

    @Test
    void aWorkerIsRecycledAfterMaxRequestsWithoutLosingOne() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-w", "1", "--max-requests", "5", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            for (int i = 0; i < 12; i++) assertEquals(200, Http.get(jcorn.address(), "/").status());
            jcorn.awaitLine("Worker 0 \\(pid:\\d+\\) recycled after 5 requests \\(--max-requests\\)", 2);
            jcorn.awaitBooted(3);
            assertEquals(0, jcorn.count("ERROR"), jcorn.output());
        }
    }
}
