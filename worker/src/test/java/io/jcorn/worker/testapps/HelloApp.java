package io.jcorn.worker.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.List;
import java.util.Map;

/** An app with a public no-argument constructor. */
public class HelloApp implements App {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        return List.of("hello".getBytes());
    }
}
