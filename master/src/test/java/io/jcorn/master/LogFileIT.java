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
            String first = awaitInFile(log, "booted in", 2);
            String url = first.lines().filter(l -> l.contains("Listening at: ")).findFirst().orElseThrow()
                    .replaceAll(".*Listening at: (\\S+) .*", "$1");
            assertEquals(500, Http.get(url, "/before").status());
            awaitInFile(log, "Error handling request /before", 1);
            Path rotated = dir.resolve("error.log.1");
            Files.move(log, rotated);
            jcorn.signal("USR1");
            awaitInFile(log, "Reopened the log files", 1);
            JcornProcess.sleep(300); // the workers reopen on their own signal
            assertEquals(500, Http.get(url, "/after").status());
            String current = awaitInFile(log, "Error handling request /after", 1);
            assertTrue(!current.contains("/before"), current);
            assertTrue(!Files.readString(rotated).contains("/after"));
            assertEquals(0, jcorn.lines().stream().filter(l -> l.contains("] [INFO] ")).count(),
                    "nothing is logged to stderr:\n" + jcorn.output());
        }
    }

    private static String awaitInFile(Path file, String text, int times) throws Exception {
        for (int i = 0; i < 400; i++) {
            String content = Files.exists(file) ? Files.readString(file) : "";
            if (content.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) return content;
            JcornProcess.sleep(50);
        }
        throw new AssertionError("no " + times + " x '" + text + "' in " + file + ":\n"
                + (Files.exists(file) ? Files.readString(file) : "(missing)"));
    }
}
