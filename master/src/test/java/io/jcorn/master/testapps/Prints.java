package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.List;
import java.util.Map;

/** Prints a line to stdout and one to stderr per request, as apps do: for --capture-output. */
public final class Prints implements App {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        System.out.println("printed by the app on stdout");
        System.err.println("printed by the app on stderr");
        startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
        return List.of("ok".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
