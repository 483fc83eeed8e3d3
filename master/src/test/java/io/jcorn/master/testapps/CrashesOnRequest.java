package io.jcorn.master.testapps;

import io.jcorn.protocol.App;
import io.jcorn.protocol.StartResponse;

import java.util.Map;

/** Boots fine, then takes its worker down with every request: a crash loop after boot. */
public final class CrashesOnRequest implements App {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
        Runtime.getRuntime().halt(7);
        return null;
    }
}
