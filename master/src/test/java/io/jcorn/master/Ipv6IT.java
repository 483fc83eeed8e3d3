package io.jcorn.master;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6IT {

    @Test
    void servesOnIpv6LoopbackBesideIpv4() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "[::1]:0", "-b", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Echo")) {
            String v6 = jcorn.awaitLine("Listening at: (http://\\[::1\\]:\\d+) ").group(1);
            String v4 = jcorn.awaitLine("Listening at: (http://127\\.0\\.0\\.1:\\d+) ").group(1);
            Http.Response overV6 = Http.get(v6, "/six");
            assertEquals(200, overV6.status());
            assertEquals("::1", overV6.environ("REMOTE_ADDR"));
            assertEquals("/six", overV6.environ("PATH_INFO"));
            Http.Response overV4 = Http.get(v4, "/four");
            assertEquals("127.0.0.1", overV4.environ("REMOTE_ADDR"));
            assertTrue(Integer.parseInt(overV4.environ("REMOTE_PORT")) > 0);
        }
    }

    @Test
    void servesMetricsOnIpv6Loopback() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--metrics-bind", "[::1]:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Echo")) {
            String metrics = jcorn.awaitLine("Metrics at: (http://\\[::1\\]:\\d+)/metrics").group(1);
            assertEquals(200, Http.get(metrics, "/metrics").status());
            assertEquals(200, Http.get(metrics, "/healthz").status());
        }
    }
}
