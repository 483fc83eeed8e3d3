package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MetricsIT {
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{[^}]*})? (-?[0-9.e+]+|\\+Inf)");

    @Test
    void prometheusEndpointCountsRequestsAndExits() throws Exception {
        try (JcornProcess jcorn = JcornProcess.serving(2, "-w", "2", "-b", "127.0.0.1:0", "--metrics-bind", "127.0.0.1:0",
                "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            String metrics = jcorn.awaitLine("Metrics at: (http://\\S+)/metrics").group(1);
            for (int i = 0; i < 3; i++) assertEquals(200, Http.get(jcorn.address(), "/").status());
            jcorn.signal("TTOU");
            jcorn.awaitLine("stopped: one worker fewer");

            Map<String, Double> samples = Map.of();
            for (int i = 0; i < 100 && !Double.valueOf(1).equals(samples.get("jcorn_worker_exits_total{cause=\"scale_down\"}")); i++) {
                samples = parse(Http.get(metrics, "/metrics"));
                JcornProcess.sleep(50);
            }
            assertEquals(3.0, samples.get("jcorn_requests_total"), "exited workers' requests still count: " + samples);
            assertEquals(3.0, samples.get("jcorn_responses_total{code=\"200\"}"));
            assertEquals(3.0, samples.get("jcorn_request_duration_seconds_count"));
            assertEquals(3.0, samples.get("jcorn_request_duration_seconds_bucket{le=\"+Inf\"}"));
            assertEquals(0.0, samples.get("jcorn_requests_in_flight"));
            assertEquals(1.0, samples.get("jcorn_workers_target"));
            assertEquals(1.0, samples.get("jcorn_worker_exits_total{cause=\"scale_down\"}"));
            assertEquals(0.0, samples.get("jcorn_worker_timeouts_total"));
            long perWorker = samples.keySet().stream().filter(k -> k.startsWith("jcorn_worker_requests_total{worker=\"0\"")).count();
            assertEquals(1, perWorker, "one series per live worker: " + samples.keySet());
            assertEquals(404, Http.get(metrics, "/other").status());
        }
    }

    /** Checks every line against the text format and returns the samples by name and labels. */
    private static Map<String, Double> parse(Http.Response response) {
        assertEquals(200, response.status());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) fail("not a Prometheus sample line: '" + line + "'");
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    @Test
    void statsdDatagramsCarryGunicornsMetricNames() throws Exception {
        try (DatagramChannel collector = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             JcornProcess jcorn = JcornProcess.serving(1, "-b", "127.0.0.1:0", "--statsd-host",
                     "127.0.0.1:" + ((InetSocketAddress) collector.getLocalAddress()).getPort(), "--statsd-prefix", "app",
                     "--classpath", JcornProcess.EXAMPLES, "io.jcorn.examples.Hello")) {
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            assertEquals(200, Http.get(jcorn.address(), "/").status());
            Map<String, Long> counters = new HashMap<>();
            boolean gauge = false, timer = false;
            collector.configureBlocking(false);
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (counters.getOrDefault("app.jcorn.requests", 0L) < 2 && System.nanoTime() < deadline) {
                buffer.clear();
                if (collector.receive(buffer) == null) {
                    JcornProcess.sleep(50);
                    continue;
                }
                for (String line : new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).split("\n")) {
                    assertTrue(line.matches("app\\.jcorn\\.[a-z0-9.]+:[0-9.]+\\|(c|g|ms)"), "a StatsD line: " + line);
                    String[] parts = line.split("[:|]");
                    if (parts[2].equals("c")) counters.merge(parts[0], Long.parseLong(parts[1]), Long::sum);
                    gauge |= line.equals("app.jcorn.workers:1|g");
                    timer |= line.startsWith("app.jcorn.request.duration:") && line.endsWith("|ms");
                }
            }
            assertEquals(2L, counters.get("app.jcorn.requests"), "counters: " + counters);
            assertEquals(2L, counters.get("app.jcorn.request.status.200"), "counters: " + counters);
            assertTrue(gauge, "app.jcorn.workers gauge");
            assertTrue(timer, "app.jcorn.request.duration timer");
        }
    }
}
