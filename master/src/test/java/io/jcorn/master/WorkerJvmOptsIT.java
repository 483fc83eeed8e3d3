package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --worker-jvm-opts reaches the worker JVMs, and flags the AOT cache cannot serve do not stop them. */
class WorkerJvmOptsIT {

    // a young generation larger than the initial heap: the JVM trains a cache it then refuses
    private static final String REFUSED = "-XX:+UseSerialGC -Xms4m -Xmn24m";

    @Test
    void flagsTheAotCacheCannotServeStartWorkersWithoutIt() throws Exception {
        Path firstLog = startWithRefusedCache();
        // each start tries again, and leaves its reason in the same file
        assertEquals(firstLog, startWithRefusedCache());
        assertTrue(Files.readString(firstLog).contains("Unable to use AOT cache"), Files.readString(firstLog));
    }

    // The training run boots a real worker and stops it with TERM; a flag of its own makes a new cache key.
    @Test
    void theDefaultFlagsTrainACacheTheWorkersBootWith() throws Exception {
        String flags = JcornCommand.DEFAULT_WORKER_JVM_OPTS + " -Djcorn.test.run=" + System.nanoTime();
        try (JcornProcess jcorn = JcornProcess.serving(1, "--worker-jvm-opts", flags,
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            Matcher trained = jcorn.awaitLine("Trained the workers' AOT cache in \\d+ ms: (\\S+\\.aot)");
            assertTrue(Files.isRegularFile(Path.of(trained.group(1))), trained.group(1));
            assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
        }
    }

    private static Path startWithRefusedCache() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "--worker-jvm-opts", REFUSED,
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            Matcher refused = jcorn.awaitLine("Workers start without an AOT cache: a JVM with the workers' flags cannot"
                    + " use the trained cache; see (\\S+\\.training\\.log)");
            assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
            return Path.of(refused.group(1));
        }
    }
}
