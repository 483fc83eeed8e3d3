package io.jcorn.worker.testapps;

/** A class with a public no-argument constructor that does not implement App. */
public class NotAnApp {
    public NotAnApp() {}
}
