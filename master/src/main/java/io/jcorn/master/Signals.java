package io.jcorn.master;

import java.util.concurrent.BlockingQueue;

/**
 * Turns signals to the master into {@link Event}s on the arbiter's queue, and does nothing else:
 * the arbiter loop acts on them, one at a time, in order.
 *
 * <p>SIGQUIT is not among them: the JVM keeps it for its thread dump and refuses a handler, so
 * jcorn's quick stop is INT.
 */
final class Signals {
    private Signals() {}

    @SuppressWarnings("removal")
    static void install(BlockingQueue<Event> queue, Libc libc) {
        // The JDK resets SIGCHLD to its default the first time it sets up process support;
        // make that happen now, not after our handler is in place.
        System.getenv();
        try {
            Class.forName("java.lang.ProcessImpl");
        } catch (ClassNotFoundException e) {
            // not on this JDK: then nothing resets SIGCHLD behind our back
        }
        for (Event event : Event.values()) {
            if (event != Event.CHLD) libc.resetToDefault(event.number);
            sun.misc.Signal.handle(new sun.misc.Signal(event.signal), signal -> queue.offer(event));
        }
    }
}
