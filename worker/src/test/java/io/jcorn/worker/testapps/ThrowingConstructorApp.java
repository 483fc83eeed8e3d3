package io.jcorn.worker.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.List;
import java.util.Map;

/** An app whose constructor fails, as one missing its configuration would. */
public class ThrowingConstructorApp implements App {
    public ThrowingConstructorApp() {
        throw new IllegalStateException("no database configured");
    }

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        return List.of();
    }
}
