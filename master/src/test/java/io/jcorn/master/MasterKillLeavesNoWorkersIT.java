package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MasterKillLeavesNoWorkersIT {

    @Test
    void workersExitByThemselvesWhenTheMasterIsKilled() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            List<Long> workers = jcorn.workerPids();
            assertEquals(2, workers.size());
            jcorn.signal("KILL");
            jcorn.awaitExit();
            for (int i = 0; i < 200 && workers.stream().anyMatch(JcornProcess::alive); i++) JcornProcess.sleep(50);
            for (long worker : workers) assertTrue(!JcornProcess.alive(worker), "worker " + worker + " outlived its master");
        }
    }
}
