package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerOutputIT {

    @Test
    void aHungWorkersThreadDumpLandsInTheErrorLogNextToItsTimeout() throws Exception {
        Path log = Files.createTempDirectory("jcorn-logs").resolve("error.log");
        try (JcornProcess jcorn = JcornProcess.start("-w", "1", "-t", "2", "--error-logfile", log.toString(),
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Slow")) {
            String url = JcornProcess.listeningAt(JcornProcess.awaitInFile(log, "booted in", 1));
            long hung = Long.parseLong(JcornProcess.awaitInFile(log, "booted in", 1)
                    .replaceAll("(?s).*Worker 0 \\(pid:(\\d+)\\) booted in.*", "$1"));
            try {
                Http.exchange(url, "GET /?seconds=60 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            } catch (IOException reset) {
                // killed while serving: the point of the test
            }
            String content = JcornProcess.awaitInFile(log, "was killed by the master after timing out", 1);
            int timeout = content.indexOf("WORKER TIMEOUT (pid:" + hung + ")");
            int dump = content.indexOf("Full thread dump");
            assertTrue(timeout >= 0 && dump > timeout, content);
            assertTrue(content.indexOf("at io.jcorn.examples.Slow.call", dump) > 0, content);
            assertFalse(jcorn.output().contains("Full thread dump"), "the dump is not on stdout:\n" + jcorn.output());
        }
    }

    @Test
    void captureOutputSendsTheAppsStdoutToTheErrorLogAsWell() throws Exception {
        Path log = Files.createTempDirectory("jcorn-logs").resolve("error.log");
        try (JcornProcess jcorn = JcornProcess.start("--capture-output", "--error-logfile", log.toString(),
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.TEST_APPS, "io.jcorn.master.testapps.Prints")) {
            assertEquals(200, Http.get(JcornProcess.listeningAt(JcornProcess.awaitInFile(log, "booted in", 1)), "/").status());
            JcornProcess.awaitInFile(log, "printed by the app on stdout", 1);
            JcornProcess.awaitInFile(log, "printed by the app on stderr", 1);
            assertFalse(jcorn.output().contains("printed by the app"), jcorn.output());
        }
    }

    @Test
    void withoutCaptureOutputTheAppsStdoutStaysTheMastersStdout() throws Exception {
        Path log = Files.createTempDirectory("jcorn-logs").resolve("error.log");
        try (JcornProcess jcorn = JcornProcess.start("--error-logfile", log.toString(),
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.TEST_APPS, "io.jcorn.master.testapps.Prints")) {
            assertEquals(200, Http.get(JcornProcess.listeningAt(JcornProcess.awaitInFile(log, "booted in", 1)), "/").status());
            JcornProcess.awaitInFile(log, "printed by the app on stderr", 1);
            jcorn.awaitLine("printed by the app on stdout");
            assertFalse(Files.readString(log).contains("printed by the app on stdout"));
        }
    }
}
