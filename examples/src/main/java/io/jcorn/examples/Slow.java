package io.jcorn.examples;

import io.jcorn.protocol.App;
import io.jcorn.protocol.Environ;
import io.jcorn.protocol.StartResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Sleeps {@code ?seconds=N} (default 1, fractions allowed), then answers 200: for timeouts and graceful stops. */
public final class Slow implements App {

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) throws InterruptedException {
        double seconds = seconds((String) environ.get(Environ.QUERY_STRING));
        Thread.sleep((long) (seconds * 1000));
        byte[] body = ("Slept " + seconds + " s\n").getBytes(StandardCharsets.UTF_8);
        startResponse.start("200 OK", List.of(
                Map.entry("Content-Type", "text/plain"),
                Map.entry("Content-Length", Integer.toString(body.length))));
        return List.of(body);
    }

    private static double seconds(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith("seconds=")) {
                try {
                    double value = Double.parseDouble(pair.substring("seconds=".length()));
                    if (value >= 0 && value < 86400) return value;
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }
}
