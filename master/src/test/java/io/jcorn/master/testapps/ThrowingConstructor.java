package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.List;
import java.util.Map;

/** An app that cannot be built: its constructor throws, so no worker can boot. */
public final class ThrowingConstructor implements App {
    public ThrowingConstructor() {
        throw new IllegalStateException("database unreachable");
    }

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        return List.of();
    }
}
