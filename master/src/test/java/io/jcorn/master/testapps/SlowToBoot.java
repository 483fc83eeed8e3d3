package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Takes 3 s to load, as an app that warms up does; {@code ?seconds=N} answers after N seconds. */
public final class SlowToBoot implements App {
    public SlowToBoot() throws InterruptedException {
        Thread.sleep(3000);
    }

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) throws InterruptedException {
        String query = (String) environ.get("QUERY_STRING");
        if (query.startsWith("seconds=")) Thread.sleep(Long.parseLong(query.substring(8)) * 1000);
        startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
        return List.of("ready".getBytes(StandardCharsets.UTF_8));
    }
}
