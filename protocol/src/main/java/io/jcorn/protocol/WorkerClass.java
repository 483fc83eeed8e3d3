package io.jcorn.protocol;

import java.util.Locale;

/**
 * How a worker runs its connections ({@code -k/--worker-class}), with the sizes that go with it.
 *
 * @param kind        sync, gthread or virtual
 * @param threads     request threads per worker (gthread; 1 for sync, unused by virtual)
 * @param connections most open connections per worker (gthread and virtual; 1 for sync)
 */
public record WorkerClass(Kind kind, int threads, int connections) {
    /** The worker classes. */
    public enum Kind {
        /** One request at a time on the accepting thread; the connection closes after each response. */
        SYNC,
        /** A pool of platform threads; idle keep-alive connections wait in a selector, not on a thread. */
        GTHREAD,
        /** A virtual thread per connection. */
        VIRTUAL;

        /** The name on the command line. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String label) {
            for (Kind kind : values()) {
                if (kind.label().equals(label)) return kind;
            }
            throw new IllegalArgumentException("unknown worker class '" + label + "' (available: sync, gthread, virtual)");
        }
    }

    public static final WorkerClass SYNC = new WorkerClass(Kind.SYNC, 1, 1);

    /** Whether several requests of one worker may call the app at the same time ({@code jcorn.multithread}). */
    public boolean multithread() {
        return kind != Kind.SYNC;
    }

    /** Whether connections outlive their first response. */
    public boolean keepsConnections() {
        return kind != Kind.SYNC;
    }
}
