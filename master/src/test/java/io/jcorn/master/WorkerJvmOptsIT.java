package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --worker-jvm-opts reaches the worker JVMs, and flags the AOT cache cannot serve do not stop them. */
class WorkerJvmOptsIT {

    @Test
    void flagsTheAotCacheCannotServeStartWorkersWithoutIt() throws Exception {
        // a young generation larger than the initial heap: the JVM trains a cache it then refuses
        try (JcornProcess jcorn = JcornProcess.serving(1, "--worker-jvm-opts", "-XX:+UseSerialGC -Xms4m -Xmn24m",
                "-b", "127.0.0.1:0", "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            jcorn.awaitLine("Workers start without an AOT cache: a JVM with the workers' flags cannot use");
            assertEquals(200, Http.getOnce(jcorn.address(), "/").status());
        }
    }
}
