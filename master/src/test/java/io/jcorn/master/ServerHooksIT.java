package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerHooksIT {
    private static final String CLASSPATH = JcornProcess.EXAMPLES + ":" + JcornProcess.TEST_APPS;

    @Test
    void everyHookRunsInItsJvmAndAFailingHookIsOnlyLogged() throws Exception {
        Path file = Files.createTempDirectory("jcorn-hooks").resolve("hooks.log");
        try (JcornProcess jcorn = JcornProcess.start(Map.of("HOOKS_FILE", file.toString()), "-w", "1", "-t", "2",
                "--hooks", "io.jcorn.master.testapps.RecordingHooks", "-b", "127.0.0.1:0",
                "--classpath", CLASSPATH, "io.jcorn.examples.Slow")) {
            jcorn.expectErrors("Hook on_reload failed").expectErrors("WORKER TIMEOUT")
                    .expectErrors("was killed by the master after timing out");
            jcorn.awaitBooted(1);
            String master = Long.toString(jcorn.masterPid());
            String url = jcorn.address();
            long first = jcorn.workerPid(0);
            assertEquals(200, Http.get(url, "/fast?seconds=0").status());
            JcornProcess.awaitInFile(file, "postRequest /fast 200 OK", 1);

            jcorn.signal("TTIN");
            jcorn.awaitBooted(2);
            try {
                Http.exchange(url, "GET /hang?seconds=60 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            } catch (IOException reset) {
                // the worker was killed while serving
            }
            jcorn.awaitLine("was killed by the master after timing out");
            jcorn.awaitBooted(3);

            jcorn.signal("HUP");
            jcorn.awaitLine("Hook on_reload failed");
            jcorn.awaitLine("Reload complete");
            assertEquals(200, Http.get(url, "/after?seconds=0").status(), "the master serves on");
            jcorn.awaitLine("stopped by a reload", 2);
            jcorn.signal("INT");
            jcorn.awaitExit();

            List<String> lines = Files.readAllLines(file);
            for (String hook : List.of("onStarting", "whenReady", "preFork 0", "preFork 1", "nworkersChanged 2 1",
                    "workerAbort", "childExit 0 " + first, "onReload", "onExit")) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith(master + " " + hook)), hook + " in the master: " + lines);
            }
            for (String hook : List.of("postFork 0", "postFork 1", "postWorkerInit 0", "postWorkerInit 1",
                    "preRequest /fast", "postRequest /fast 200 OK", "preRequest /hang", "workerExit", "workerInt")) {
                assertTrue(lines.stream().anyMatch(l -> !l.startsWith(master + " ") && l.contains(" " + hook)),
                        hook + " in a worker: " + lines);
            }
            assertEquals(1, lines.stream().filter(l -> l.contains("whenReady")).count(), "once: " + lines);
        }
    }

    @Test
    void aHooksClassThatCannotBeLoadedStopsTheStartWithTheReason() throws Exception {
        try (JcornProcess jcorn = JcornProcess.start("--hooks", "io.jcorn.master.testapps.NoSuchHooks",
                "-b", "127.0.0.1:0", "--classpath", CLASSPATH, "io.jcorn.examples.Hello")) {
            jcorn.expectErrors("--hooks class 'io.jcorn.master.testapps.NoSuchHooks' is not on the classpath");
            assertEquals(1, jcorn.awaitExit());
            jcorn.awaitLine("--hooks class 'io.jcorn.master.testapps.NoSuchHooks' is not on the classpath");
        }
    }
}
