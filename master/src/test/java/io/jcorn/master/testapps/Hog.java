package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keeps 64 MiB more with every request: a leak, for --max-worker-memory. */
public final class Hog implements App {
    private final List<byte[]> leaked = new ArrayList<>();

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        byte[] block = new byte[64 << 20];
        for (int i = 0; i < block.length; i += 4096) block[i] = 1;
        leaked.add(block);
        startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
        return List.of(("holding " + leaked.size() * 64 + " MiB").getBytes(StandardCharsets.UTF_8));
    }
}
