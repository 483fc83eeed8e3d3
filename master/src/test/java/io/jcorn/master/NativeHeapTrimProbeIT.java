package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * -XX:TrimNativeHeapInterval came to JDK 21 in an update: bin/jcorn asks the JDK once whether it
 * takes the flag, and the master and its workers use it only then.
 */
class NativeHeapTrimProbeIT {
    private static final String FLAG = "TrimNativeHeapInterval";
    private static final Path REAL_JDK = Path.of(System.getProperty("java.home"));

    @Test
    void aJdkThatRefusesTheFlagStillBootsWorkersAndIsAskedOnce() throws Exception {
        Path dir = Files.createTempDirectory("jcorn-old-jdk");
        Path jdk = oldJdk(dir);
        Map<String, String> env = Map.of("JAVA_HOME", jdk.toString(), "XDG_CACHE_HOME", dir.resolve("cache").toString());
        for (int start = 0; start < 2; start++) {
            try (JcornProcess jcorn = JcornProcess.start(env, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                    "io.jcorn.examples.Hello")) {
                jcorn.awaitBooted(1);
                assertEquals(200, Http.get(jcorn.address(), "/").status());
                assertFalse(commandLine(jcorn.masterPid()).contains(FLAG), "the master runs without the flag");
                assertFalse(commandLine(jcorn.workerPid(0)).contains(FLAG), "the worker runs without the flag");
            }
        }
        List<String> asked = Files.readAllLines(jdk.resolve("invocations")).stream()
                .filter(line -> line.contains(FLAG)).toList();
        assertEquals(1, asked.size(), "the JDK is asked once, then the answer is kept: " + asked);
    }

    @Test
    void aJdkThatTakesTheFlagGivesItToTheMasterAndTheWorkers() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES,
                "io.jcorn.examples.Hello")) {
            assertTrue(commandLine(jcorn.masterPid()).contains("-XX:" + FLAG + "="), commandLine(jcorn.masterPid()));
            assertTrue(commandLine(jcorn.workerPid(0)).contains("-XX:" + FLAG + "="), commandLine(jcorn.workerPid(0)));
        }
    }

    /**
     * A JDK home that says it is 21.0.0 and whose {@code java} refuses the flag, as 21.0.0 does,
     * and runs this JDK's otherwise; it notes each start in {@code invocations}.
     */
    private static Path oldJdk(Path dir) throws Exception {
        Path jdk = dir.resolve("jdk-21.0.0");
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"21.0.0\"\n");
        Path launcher = jdk.resolve("bin/java");
        Files.writeString(launcher, String.join("\n",
                "#!/usr/bin/env bash",
                "echo \"$*\" >> \"" + jdk.resolve("invocations") + "\"",
                "for arg in \"$@\"; do",
                "    case $arg in -XX:" + FLAG + "*)",
                "        echo \"Unrecognized VM option '${arg#-XX:}'\" >&2",
                "        echo 'Error: Could not create the Java Virtual Machine.' >&2",
                "        exit 1;;",
                "    esac",
                "done",
                "exec " + REAL_JDK.resolve("bin/java") + " \"$@\"", ""));
        Files.setPosixFilePermissions(launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return jdk;
    }

    private static String commandLine(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    }
}
