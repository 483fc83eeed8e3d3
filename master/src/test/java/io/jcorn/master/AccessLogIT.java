package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogIT {
    // Gunicorn's default format for a GET / from Http (no Referer, no User-Agent) to Hello.
    private static final String DEFAULT_LINE =
            "127\\.0\\.0\\.1 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\] \"GET /hello HTTP/1\\.1\" 200 13 \"-\" \"-\"";

    @Test
    void everyRequestUnderLoadGetsOneLineInTheFormat() throws Exception {
        Path log = Files.createTempDirectory("jcorn-access").resolve("access.log");
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0", "--access-logfile", log.toString(),
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            Load load = Load.start(jcorn.address(), "/hello", 4);
            JcornProcess.sleep(1500);
            load.close();
            assertEquals(0, load.failures(), load.toString());
            List<String> lines = awaitLines(log, load.count(Load.Outcome.OK));
            assertEquals(load.count(Load.Outcome.OK), lines.size());
            for (String line : lines) assertTrue(line.matches(DEFAULT_LINE), line);
        }
    }

    @Test
    void usr1ReopensTheAccessLogAndJsonLinesAreAnOption() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-access");
        Path log = dir.resolve("access.log");
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--access-logfile", log.toString(),
                "--access-logformat", "json", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals(200, Http.get(jcorn.address(), "/before").status());
            awaitLines(log, 1);
            Path rotated = dir.resolve("access.log.1");
            Files.move(log, rotated);
            jcorn.signal("USR1");
            jcorn.awaitLine("Reopened the log files");
            JcornProcess.sleep(300); // the worker reopens on its own signal
            assertEquals(200, Http.get(jcorn.address(), "/after?x=1").status());
            String after = awaitLines(log, 1).getFirst();
            assertTrue(after.matches("\\{\"time\":\"[^\"]+\",\"remote_addr\":\"127\\.0\\.0\\.1\",\"user\":\"-\",\"method\":\"GET\","
                    + "\"uri\":\"/after\\?x=1\",\"protocol\":\"HTTP/1\\.1\",\"status\":200,\"bytes\":13,\"duration_us\":\\d+,"
                    + "\"referer\":\"-\",\"user_agent\":\"-\",\"pid\":\\d+}"), after);
            List<String> before = Files.readAllLines(rotated);
            assertEquals(1, before.size(), before.toString());
            assertTrue(before.getFirst().contains("\"uri\":\"/before\""), before.toString());
        }
    }

    private static List<String> awaitLines(Path file, long n) throws Exception {
        for (int i = 0; i < 400; i++) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.size() >= n) return lines;
            JcornProcess.sleep(50);
        }
        throw new AssertionError("fewer than " + n + " lines in " + file + ":\n"
                + (Files.exists(file) ? Files.readString(file) : "(missing)"));
    }
}
