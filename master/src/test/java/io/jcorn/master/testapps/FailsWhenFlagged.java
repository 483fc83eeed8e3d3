package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Hello, unless a file named fail-boot is in the working directory: then it cannot be built (a bad deploy). */
public final class FailsWhenFlagged implements App {
    public FailsWhenFlagged() {
        if (Files.exists(Path.of("fail-boot"))) throw new IllegalStateException("bad deploy: fail-boot is present");
    }

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
        return List.of("ok".getBytes(StandardCharsets.UTF_8));
    }
}
