package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFileIT {

    @Test
    void masterAndWorkersLogToTheFileAndUsr1ReopensItAfterRotation() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-logs");
        Path log = dir.resolve("error.log");
        String classpath = JcornProcess.EXAMPLES + ":" + JcornProcess.TEST_APPS;
        try (JcornProcess jcorn = JcornProcess.start("-w", "2", "--error-logfile", log.toString(), "-b", "127.0.0.1:0",
                "--classpath", classpath, "io.jcorn.master.testapps.Failing")) {
            String first = JcornProcess.awaitInFile(log, "booted in", 2);
            String url = JcornProcess.listeningAt(first);
            assertEquals(500, Http.get(url, "/before").status());
            JcornProcess.awaitInFile(log, "Error handling request /before", 1);
            Path rotated = dir.resolve("error.log.1");
            Files.move(log, rotated);
            jcorn.signal("USR1");
            JcornProcess.awaitInFile(log, "Reopened the log files", 1);
            JcornProcess.sleep(300); // the workers reopen on their own signal
            assertEquals(500, Http.get(url, "/after").status());
            String current = JcornProcess.awaitInFile(log, "Error handling request /after", 1);
            assertTrue(!current.contains("/before"), current);
            assertTrue(!Files.readString(rotated).contains("/after"));
            assertEquals(0, jcorn.lines().stream().filter(l -> l.contains("] [INFO] ")).count(),
                    "nothing is logged to stderr:\n" + jcorn.output());
        }
    }
}
