package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The master as PID 1 of a pid namespace, as a container's entrypoint is: the orphans an app
 * leaves behind become its children, and it reaps them all, and a stranger's exit code (3, 4:
 * what a worker that cannot boot exits with) is not taken for a worker's.
 */
class PidOneReapsOrphansIT {
    private static final String APP = "io.jcorn.master.testapps.ShellsOut";
    private static final int REQUESTS = 60;

    @Test
    void everyOrphanIsReapedAndStrangersExitCodesStopNothing() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "unshare --pid needs root (CI runs as root)");
        try (JcornProcess jcorn = JcornProcess.startVia(List.of("unshare", "--pid", "--fork", "--mount-proc"), Map.of(),
                "-b", "127.0.0.1:0", "--log-level", "debug", "--classpath", JcornProcess.TEST_APPS, APP)) {
            jcorn.awaitBooted(1);
            jcorn.awaitLine("\\[1\\] \\[INFO\\] Starting jcorn"); // the master is PID 1 in its namespace
            for (int i = 0; i < REQUESTS; i++) assertEquals(200, Http.get(jcorn.address(), "/").status());
            assertEquals(200, Http.get(jcorn.address(), "/?exit=3").status());
            assertEquals(200, Http.get(jcorn.address(), "/?exit=4").status());

            jcorn.awaitLine("Reaped pid \\d+, not a worker \\(exit code 0\\)", REQUESTS);
            jcorn.awaitLine("Reaped pid \\d+, not a worker \\(exit code 3\\)");
            jcorn.awaitLine("Reaped pid \\d+, not a worker \\(exit code 4\\)");
            long master = master(jcorn);
            assertEquals(0, zombiesInNamespaceOf(master), "zombies left in the master's pid namespace");

            assertEquals(200, Http.get(jcorn.address(), "/").status(), "the server serves on");
            assertEquals(0, jcorn.count("App failed|failed to boot|Shutting down"), jcorn.output());

            JcornProcess.kill("USR2", master); // its exit would end a new master: refused
            jcorn.awaitLine("Upgrade refused: this master is PID 1");
            JcornProcess.kill("TERM", master);
            assertEquals(0, jcorn.awaitExit(), "TERM stops PID 1 with exit 0:\n" + jcorn.output());
        }
    }

    /** The master's JVM: the child that {@code unshare --fork} started. */
    static long master(JcornProcess jcorn) {
        return ProcessHandle.of(jcorn.masterPid()).orElseThrow().children().findFirst().orElseThrow().pid();
    }

    /** Zombies in {@code pid}'s pid namespace, counted from outside it through /proc. */
    static int zombiesInNamespaceOf(long pid) throws IOException {
        Path namespace = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid"));
        int zombies = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (!Files.readSymbolicLink(process.resolve("ns/pid")).equals(namespace)) continue;
                    String stat = Files.readString(process.resolve("stat"));
                    if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') zombies++;
                } catch (IOException e) {
                    // gone since the listing
                }
            }
        }
        return zombies;
    }
}
