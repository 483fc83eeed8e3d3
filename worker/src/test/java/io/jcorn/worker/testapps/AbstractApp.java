package io.jcorn.worker.testapps;

import io.jcorn.protocol.App;

/** An app class that cannot be instantiated. */
public abstract class AbstractApp implements App {
    public AbstractApp() {}
}
