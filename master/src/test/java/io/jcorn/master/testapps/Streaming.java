package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A body in three parts and no Content-Length: chunked for HTTP/1.1, close-delimited for 1.0. */
public final class Streaming implements App {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
        return List.of("one,".getBytes(StandardCharsets.UTF_8), new byte[0],
                ByteBuffer.wrap("two,".getBytes(StandardCharsets.UTF_8)), "three".getBytes(StandardCharsets.UTF_8));
    }
}
