package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsIT {
    private static final String HELLO = "io.jcorn.examples.Hello";

    record Run(int exitCode, List<String> lines) {
        String output() {
            return String.join("\n", lines);
        }

        void has(String regex) {
            assertTrue(lines.stream().anyMatch(l -> l.matches(regex)), "no line /" + regex + "/ in:\n" + output());
        }
    }

    /** bin/jcorn ARGS in {@code dir}, with {@code env} added; for the commands that exit by themselves. */
    static Run jcorn(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(JcornProcess.HOME.resolve("bin/jcorn").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove(Settings.ENV);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        return new Run(process.exitValue(), output.lines().toList());
    }

    private static Path configFile(Path dir, String... lines) throws IOException {
        return Files.write(dir.resolve("jcorn.conf"), List.of(lines));
    }

    @Test
    void commandLineBeatsJcornCmdArgsWhichBeatsTheConfigFile() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-settings");
        configFile(dir, "# found as ./jcorn.conf", "workers = 3", "timeout = 7", "graceful_timeout = 5",
                "bind = 127.0.0.1:0", "classpath = " + JcornProcess.EXAMPLES, "app = " + HELLO);
        Run run = jcorn(dir, Map.of(Settings.ENV, "--workers 2 --timeout 9"), "--print-config", "-w", "1");
        assertEquals(0, run.exitCode(), run.output());
        run.has("workers = 1 +# command line");
        run.has("timeout = 9 +# JCORN_CMD_ARGS");
        run.has("graceful_timeout = 5 +# jcorn.conf:4");
        run.has("app = " + HELLO + " +# jcorn.conf:7");
        run.has("keep_alive = 2 +# default");
        run.has("config = jcorn.conf +# default");
    }

    @Test
    void aServerTakesItsSettingsFromTheFileUnderJcornCmdArgs() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-settings");
        Path conf = configFile(dir, "workers = 3", "bind = 127.0.0.1:0", "classpath = " + JcornProcess.EXAMPLES, "app = " + HELLO);
        try (JcornProcess jcorn = JcornProcess.start(Map.of(Settings.ENV, "--workers 2"), "-c", conf.toString())) {
            jcorn.awaitBooted(2);
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            assertEquals(2, jcorn.count("Booting worker"), jcorn.output());
        }
    }

    @Test
    void aBadConfigFileLineIsReportedWithFileAndLine() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-settings");
        Path conf = configFile(dir, "workers = 2", "wrkers = 3");
        Run unknown = jcorn(dir, Map.of(), "-c", conf.toString(), HELLO);
        assertEquals(2, unknown.exitCode(), unknown.output());
        assertEquals(List.of("jcorn: " + conf + ":2: unknown setting 'wrkers'"), unknown.lines());
        configFile(dir, "", "timeout = soon");
        Run bad = jcorn(dir, Map.of(), HELLO);
        assertEquals(2, bad.exitCode(), bad.output());
        assertEquals(List.of("jcorn: jcorn.conf:2: timeout: Invalid value for option '--timeout': 'soon' is not an int"),
                bad.lines());
        configFile(dir, "bind = 127.0.0.1:0", "workers = 0");
        Run zero = jcorn(dir, Map.of(), HELLO);
        assertEquals(2, zero.exitCode(), zero.output());
        assertEquals(List.of("jcorn: --workers must be at least 1, not 0 (from jcorn.conf:2)"), zero.lines());
        Run env = jcorn(dir, Map.of(Settings.ENV, "--wrkers 3"), "-c", conf.toString(), HELLO);
        assertEquals(2, env.exitCode(), env.output());
        assertEquals(List.of("jcorn: JCORN_CMD_ARGS: Unknown option: '--wrkers'"), env.lines());
    }

    @Test
    void checkConfigLoadsTheAppWithoutBinding() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-settings");
        Run good = jcorn(dir, Map.of(), "--check-config", "-b", "127.0.0.1:1", "--classpath", JcornProcess.EXAMPLES, HELLO);
        assertEquals(0, good.exitCode(), good.output());
        good.has("jcorn: the settings are valid and the app " + HELLO + " loads");
        Run bad = jcorn(dir, Map.of(), "--check-config", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Missing");
        assertEquals(1, bad.exitCode(), bad.output());
        assertEquals(List.of("jcorn: App failed to load: Failed to find application class 'io.jcorn.examples.Missing' "
                + "on the classpath '" + JcornProcess.EXAMPLES + "'"), bad.lines());
    }

    @Test
    void hupReadsTheConfigFileAgain() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-settings");
        Path conf = configFile(dir, "workers = 1", "bind = 127.0.0.1:0", "classpath = " + JcornProcess.EXAMPLES, "app = " + HELLO);
        try (JcornProcess jcorn = JcornProcess.start("-c", conf.toString())) {
            jcorn.awaitBooted(1);
            configFile(dir, "workers = 2", "bind = 127.0.0.1:0", "classpath = " + JcornProcess.EXAMPLES, "app = " + HELLO);
            jcorn.signal("HUP");
            jcorn.awaitLine("Reloading: starting 2 new workers");
            jcorn.awaitLine("Reload complete: 2 new workers serving");
            assertEquals(200, Http.get(jcorn.address(), "/").status());
        }
    }
}
