package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.Map;

/** Every request throws: the client must get a 500 and the worker must live on. */
public final class Failing implements App {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        throw new IllegalStateException("this app always fails");
    }
}
