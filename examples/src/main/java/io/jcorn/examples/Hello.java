package io.jcorn.examples;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The smallest app: {@code 200 text/plain Hello, World!} for every request. */
public final class Hello implements App {
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final List<Map.Entry<String, String>> HEADERS = List.of(
            Map.entry("Content-Type", "text/plain"),
            Map.entry("Content-Length", Integer.toString(BODY.length)));

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", HEADERS);
        return List.of(BODY);
    }
}
