package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollingRestartIT {
    private static final int WORKERS = 3;

    @Test
    void urgReplacesTheWorkersOneAtATimeUnderLoadAndDropsNothing() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(WORKERS, "-w", Integer.toString(WORKERS), "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            List<Long> first = jcorn.workerPids();
            Load load = Load.start(jcorn.address(), "/", 20);
            try (load) {
                jcorn.signal("URG");
                jcorn.awaitLine("Rolling restart complete: " + WORKERS + " workers replaced");
                JcornProcess.sleep(300);
            }
            assertEquals(0, load.failures(), "outcomes: " + load);
            assertTrue(load.count(Load.Outcome.OK) > 50, "outcomes: " + load);
            jcorn.awaitLine("stopped by a rolling restart", WORKERS);
            assertTrue(fewestServing(jcorn.lines()) >= WORKERS, jcorn.output());
            assertEquals(WORKERS, jcorn.workerPids().size());
            assertTrue(jcorn.workerPids().stream().noneMatch(first::contains), "every worker is new: " + jcorn.output());
        }
    }

    @Test
    void aSecondRollingRestartWaitsForTheFirst() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.signal("URG");
            jcorn.awaitLine("Rolling restart: replacing 2 workers");
            jcorn.signal("URG");
            jcorn.awaitLine("A reload or rolling restart is still running; ignored");
            jcorn.awaitLine("Rolling restart complete: 2 workers replaced");
            jcorn.signal("URG");
            jcorn.awaitLine("Rolling restart complete: 2 workers replaced", 2);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }

    /**
     * The fewest workers serving during the restart, by the master's log: each "booted" adds one,
     * each old worker the restart stops takes one away.
     */
    private static int fewestServing(List<String> lines) {
        int serving = -1, fewest = Integer.MAX_VALUE;
        for (String line : lines) {
            if (line.contains("Rolling restart: replacing")) serving = WORKERS;
            if (serving < 0) continue;
            if (line.matches(".*Worker \\d+ \\(pid:\\d+\\) booted in.*")) serving++;
            if (line.contains("Rolling restart: Worker")) serving--;
            fewest = Math.min(fewest, serving);
            if (line.contains("Rolling restart complete")) break;
        }
        return fewest;
    }
}
