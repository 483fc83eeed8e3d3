package io.jcorn.worker.testapps;

import io.jcorn.protocol.App;

import java.util.List;

/** Apps, and things that are not apps, held by static and instance members. */
public final class StaticMembers {
    public static final App APP = (environ, startResponse) -> List.of("field".getBytes());
    public static final App NOTHING = null;
    public static final String TEXT = "not an app";
    public final App instanceField = APP;

    private StaticMembers() {}

    public static App create() {
        return (environ, startResponse) -> List.of("method".getBytes());
    }

    public static App failing() {
        throw new IllegalStateException("bad configuration");
    }

    public static App withArgument(String name) {
        return APP;
    }

    public App instanceMethod() {
        return APP;
    }

    static App hidden() {
        return APP;
    }
}
