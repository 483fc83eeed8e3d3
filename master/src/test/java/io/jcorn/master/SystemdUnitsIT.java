package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/systemd/jcorn.socket and jcorn.service, run as far as a machine without a running
 * systemd allows: systemd-analyze checks them, and systemd-socket-activate holds the socket of
 * the socket unit and starts the service's ExecStart on the first connection, as systemd does.
 */
class SystemdUnitsIT {
    private static final Path UNITS = JcornProcess.HOME.resolve("examples/systemd");
    private static final String ACTIVATE = "/usr/bin/systemd-socket-activate";

    @Test
    void theFirstConnectionStartsJcornOnTheUnitsSocketAndReloadAndStopWork() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(ACTIVATE)), "needs systemd-socket-activate (package systemd)");
        Map<String, List<String>> socket = parse(UNITS.resolve("jcorn.socket"));
        Map<String, List<String>> service = parse(UNITS.resolve("jcorn.service"));
        assertEquals(List.of("jcorn.socket"), service.get("Requires"));
        assertEquals(List.of("notify"), service.get("Type"));
        assertEquals(List.of("/run/jcorn/jcorn.sock"), socket.get("ListenStream"));
        Path dir = Files.createTempDirectory("jcorn-units");
        Path path = dir.resolve("jcorn.sock");
        List<String> execStart = execStart(service);
        try (NotifySocket systemd = NotifySocket.open(dir.resolve("notify.sock"));
             JcornProcess jcorn = JcornProcess.startVia(List.of(ACTIVATE, "-l", path.toString(), "--fdname=jcorn.socket",
                     "-E", "NOTIFY_SOCKET=" + systemd.path), Map.of(), execStart.toArray(String[]::new))) {
            for (int i = 0; i < 200 && !Files.exists(path); i++) JcornProcess.sleep(50);
            assertEquals(0, jcorn.count("Starting jcorn"), "jcorn waits for the first connection");
            var first = CompletableFuture.supplyAsync(() -> get("unix:" + path));
            assertEquals("Hello, World!", first.get(60, TimeUnit.SECONDS), "the connection that started jcorn is served");
            systemd.awaitMessage("READY=1", 1);
            jcorn.awaitLine("Using 1 listening socket\\(s\\) passed by systemd");

            String reload = service.get("ExecReload").getFirst().replace("$MAINPID", Long.toString(jcorn.masterPid()));
            assertEquals(0, new ProcessBuilder(reload.split(" ")).inheritIO().start().waitFor());
            systemd.awaitMessage("RELOADING=1", 1);
            jcorn.awaitLine("Reload complete");
            assertEquals("Hello, World!", get("unix:" + path));

            jcorn.signal(service.get("KillSignal").getFirst().substring("SIG".length()));
            assertEquals(0, jcorn.awaitExit());
            systemd.awaitMessage("STOPPING=1", 1);
            assertTrue(Files.exists(path), "the socket file is systemd's");
        }
    }

    @Test
    void systemdAnalyzeFindsNothingToSayAboutTheUnits() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "needs systemd-analyze (package systemd)");
        Path dir = Files.createTempDirectory("jcorn-units");
        // The service names where jcorn is installed; point it at this tree's bin/jcorn.
        Files.writeString(dir.resolve("jcorn.service"), Files.readString(UNITS.resolve("jcorn.service"))
                .replace("/opt/jcorn/bin/jcorn", JcornProcess.HOME.resolve("bin/jcorn").toString()));
        Files.copy(UNITS.resolve("jcorn.socket"), dir.resolve("jcorn.socket"));
        Process verify = new ProcessBuilder(analyze.toString(), "verify", dir.resolve("jcorn.socket").toString(),
                dir.resolve("jcorn.service").toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes());
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output.strip());
    }

    /** The service's ExecStart after bin/jcorn, with the example's app replaced by Hello. */
    private static List<String> execStart(Map<String, List<String>> service) {
        List<String> words = List.of(service.get("ExecStart").getFirst().split(" "));
        assertEquals("/opt/jcorn/bin/jcorn", words.getFirst());
        List<String> args = new ArrayList<>();
        for (String word : words.subList(1, words.size())) {
            args.add(switch (word) {
                case "/srv/app/lib/*" -> JcornProcess.EXAMPLES;
                case "com.example.App" -> "io.jcorn.examples.Hello";
                default -> word;
            });
        }
        assertTrue(args.contains("io.jcorn.examples.Hello"), "the example's app: " + words);
        return args;
    }

    private static String get(String address) {
        try {
            return Http.get(address, "/").body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** KEY=VALUE lines of a unit file, comments and section headers left out. */
    private static Map<String, List<String>> parse(Path unit) throws Exception {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(unit)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[")) continue;
            int eq = line.indexOf('=');
            keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return keys;
    }
}
