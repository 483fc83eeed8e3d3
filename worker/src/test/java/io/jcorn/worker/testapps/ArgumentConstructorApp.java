package io.jcorn.worker.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.List;
import java.util.Map;

/** An app whose public constructor takes an argument. */
public class ArgumentConstructorApp implements App {
    public ArgumentConstructorApp(String greeting) {}

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        return List.of();
    }
}
