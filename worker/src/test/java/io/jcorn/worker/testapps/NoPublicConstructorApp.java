package io.jcorn.worker.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.List;
import java.util.Map;

/** An app whose only constructor is private. */
public class NoPublicConstructorApp implements App {
    private NoPublicConstructorApp() {}

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        return List.of();
    }
}
