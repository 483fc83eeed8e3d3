package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReloadIT {

    @Test
    void tenHupsUnderLoadDropNoRequest() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            List<Long> first = jcorn.workerPids();
            Load load = Load.start(jcorn.address(), "/", 20);
            try (load) {
                for (int i = 1; i <= 10; i++) {
                    jcorn.signal("HUP");
                    jcorn.awaitLine("Reload complete", i);
                }
                JcornProcess.sleep(500);
            }
            assertEquals(0, load.failures(), "outcomes: " + load);
            assertTrue(load.count(Load.Outcome.OK) > 100, "outcomes: " + load);
            jcorn.awaitLine("stopped by a reload", 20);
            assertEquals(2, jcorn.workerPids().size());
            assertTrue(jcorn.workerPids().stream().noneMatch(first::contains), "every worker is new");
        }
    }

    @Test
    void aReloadWhoseWorkersCannotBootKeepsTheOldOnesServing() throws Exception {
        String app = "io.jcorn.master.testapps.FailsWhenFlagged";
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.TEST_APPS, app)) {
            jcorn.expectErrors("Reload failed, the old workers keep serving. App failed to load: The constructor of")
                    .expectErrors("\\[ERROR\\] The constructor of '" + app + "' threw");
            List<Long> serving = jcorn.workerPids();
            Files.createFile(jcorn.dir.resolve("fail-boot"));
            jcorn.signal("HUP");
            jcorn.awaitLine("Reload failed, the old workers keep serving. App failed to load: The constructor of '"
                    + app + "' threw java.lang.IllegalStateException: bad deploy");
            for (int i = 0; i < 100 && !jcorn.workerPids().equals(serving); i++) JcornProcess.sleep(50);
            assertEquals(serving, jcorn.workerPids());
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            Files.delete(jcorn.dir.resolve("fail-boot"));
            jcorn.signal("HUP");
            jcorn.awaitLine("Reload complete");
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }

    @Test
    void winchStopsEveryWorkerAndKeepsTheMaster() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.signal("WINCH");
            jcorn.awaitLine("stopped by WINCH", 2);
            for (int i = 0; i < 100 && !jcorn.workerPids().isEmpty(); i++) JcornProcess.sleep(50);
            assertEquals(List.of(), jcorn.workerPids());
            assertTrue(JcornProcess.alive(jcorn.masterPid()));
            jcorn.signal("TTIN");
            jcorn.awaitBooted(3);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }
}
