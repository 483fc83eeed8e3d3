package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MemoryAndPidfileIT {

    @Test
    void aWorkerPastMaxWorkerMemoryIsRecycledGracefully() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-w", "1", "--max-worker-memory", "100", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.TEST_APPS, "io.jcorn.master.testapps.Hog")) {
            long leaky = jcorn.workerPid(0);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            jcorn.awaitLine("Worker 0 \\(pid:" + leaky + "\\) uses \\d+ MiB, over --max-worker-memory 100; recycling it");
            jcorn.awaitLine("Worker 0 \\(pid:" + leaky + "\\) recycled: over --max-worker-memory \\(exit code 0\\)");
            jcorn.awaitBooted(2);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }

    @Test
    void thePidfileIsWrittenRefusedToASecondMasterAndRemoved() throws Exception {
        Path pidfile = Files.createTempDirectory("jcorn-pid").resolve("run/jcorn.pid");
        try (JcornProcess jcorn = JcornProcess.serving(1, "--pid", pidfile.toString(), "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals(jcorn.masterPid() + "\n", Files.readString(pidfile));
            try (JcornProcess second = JcornProcess.start("--pid", pidfile.toString(), "-b", "127.0.0.1:0",
                    "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
                second.expectErrors("Can't write the pidfile");
                assertEquals(1, second.awaitExit());
                assertEquals(1, second.count("Can't write the pidfile .*: jcorn master " + jcorn.masterPid()
                        + " is running and owns it"), second.output());
            }
            assertEquals(jcorn.masterPid() + "\n", Files.readString(pidfile));
            jcorn.signal("TERM");
            assertEquals(0, jcorn.awaitExit());
            assertFalse(Files.exists(pidfile));
        }
    }
}
