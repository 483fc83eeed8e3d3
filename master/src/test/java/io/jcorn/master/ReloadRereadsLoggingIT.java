package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HUP sets up the master's own log again from the settings: --log-level, --error-logfile, --log-config. */
class ReloadRereadsLoggingIT {
    private static final String HELLO = "io.jcorn.examples.Hello";

    private static final String FAILING = "io.jcorn.master.testapps.Failing";

    /** ./jcorn.conf: {@code lines}, then the address, the classpath (the examples' and the test apps') and the app. */
    private static Path config(Path dir, String app, String... lines) throws Exception {
        List<String> all = new ArrayList<>(List.of(lines));
        all.addAll(List.of("bind = 127.0.0.1:0", "classpath = " + JcornProcess.EXAMPLES + ":" + JcornProcess.TEST_APPS,
                "app = " + app));
        return Files.write(dir.resolve("jcorn.conf"), all);
    }

    /** The master's lines at INFO after its n-th "Handling signal: hup". */
    private static List<String> masterInfoAfterHup(JcornProcess jcorn, int n) {
        String master = "] [" + jcorn.masterPid() + "] [INFO] ";
        List<String> lines = jcorn.lines();
        int hups = 0, at = 0;
        while (at < lines.size() && hups < n) if (lines.get(at++).contains("Handling signal: hup")) hups++;
        return lines.subList(at, lines.size()).stream().filter(l -> l.contains(master)).toList();
    }

    /** Waits until {@code old} has left and another worker serves in its place. */
    private static void awaitReplaced(JcornProcess jcorn, long old) {
        for (int i = 0; i < 600; i++) {
            List<Long> pids = jcorn.workerPids();
            if (!pids.contains(old) && !pids.isEmpty()) return;
            JcornProcess.sleep(50);
        }
        throw new AssertionError("worker " + old + " was not replaced:\n" + jcorn.output());
    }

    @Test
    void aChangedLogLevelShowsInTheNextLines() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-loglevel");
        Path conf = config(dir, HELLO, "log_level = info");
        try (JcornProcess jcorn = JcornProcess.serving(1, "-c", conf.toString())) {
            long first = jcorn.workerPid(0);
            config(dir, HELLO, "log_level = warning");
            jcorn.signal("HUP");
            awaitReplaced(jcorn, first);
            assertEquals(1, jcorn.count("Handling signal: hup"), "logged before the settings are read:\n" + jcorn.output());
            assertEquals(List.of(), masterInfoAfterHup(jcorn, 1), jcorn.output());

            config(dir, HELLO, "log_level = info");
            jcorn.signal("HUP");
            jcorn.awaitLine("Reload complete: 1 new workers serving");
            assertEquals(1, jcorn.count("Reloading: starting 1 new workers"), jcorn.output());
        }
    }

    @Test
    void aChangedErrorLogfileTakesTheMastersAndTheWorkersLines() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-logfile");
        Path before = dir.resolve("before.log");
        Path after = dir.resolve("after.log");
        Path conf = config(dir, FAILING, "error_logfile = " + before);
        try (JcornProcess jcorn = JcornProcess.start("-c", conf.toString())) {
            String url = JcornProcess.listeningAt(JcornProcess.awaitInFile(before, "booted in", 1));
            config(dir, FAILING, "error_logfile = " + after);
            jcorn.signal("HUP");
            JcornProcess.awaitInFile(after, "Reload complete", 1);
            assertEquals(500, Http.get(url, "/after").status());
            JcornProcess.awaitInFile(after, "Error handling request /after", 1);
            String old = Files.readString(before);
            assertTrue(old.contains("Handling signal: hup"), old);
            assertFalse(old.contains("Reload complete") || old.contains("/after"), old);
        }
    }

    @Test
    void aLogConfigThatDoesNotLoadKeepsTheOneInUseAndSaysWhy() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-logconfig");
        Path xml = dir.resolve("logback.xml");
        Files.writeString(xml, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>MINE %level %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Path conf = config(dir, HELLO, "log_config = " + xml);
        try (JcornProcess jcorn = JcornProcess.start("-c", conf.toString())) {
            jcorn.awaitLine("^MINE INFO Worker 0 \\(pid:\\d+\\) booted in");
            Files.writeString(xml, "<configuration><appender name=\"OUT\" class=\"no.such.Appender\"/>");
            jcorn.signal("HUP");
            jcorn.awaitLine("^MINE ERROR Reload keeps the current settings: --log-config " + xml + ": .+");
            jcorn.awaitLine("^MINE INFO Reload complete: 1 new workers serving");
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }
}
