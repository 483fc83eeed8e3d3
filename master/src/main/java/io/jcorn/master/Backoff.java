package io.jcorn.master;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Slows the respawning of a worker number that keeps crashing after boot: the first crashes are
 * replaced at once, then each further crash within a minute doubles the wait, up to 30 s.
 */
final class Backoff {
    private static final long WINDOW = TimeUnit.MINUTES.toNanos(1);
    private static final int FREE_CRASHES = 3;
    private static final long MAX_DELAY = TimeUnit.SECONDS.toNanos(30);

    private final Map<Integer, Deque<Long>> crashes = new HashMap<>();
    private final Map<Integer, Long> notBefore = new HashMap<>();

    /** Records a crash of worker {@code number}; returns the wait before its respawn, in nanoseconds. */
    long crashed(int number, long now) {
        Deque<Long> recent = crashes.computeIfAbsent(number, n -> new ArrayDeque<>());
        recent.addLast(now);
        while (now - recent.getFirst() > WINDOW) recent.removeFirst();
        int over = recent.size() - FREE_CRASHES;
        if (over <= 0) return 0;
        long delay = Math.min(MAX_DELAY, TimeUnit.SECONDS.toNanos(1L << Math.min(over - 1, 5)));
        notBefore.put(number, now + delay);
        return delay;
    }

    /** Whether worker {@code number} may be spawned now. */
    boolean ready(int number, long now) {
        Long at = notBefore.get(number);
        return at == null || now >= at;
    }

    /** Nanoseconds until the next delayed respawn is due, or -1 if none waits. */
    long nextDue(long now) {
        long next = -1;
        for (long at : notBefore.values()) {
            if (at > now && (next < 0 || at - now < next)) next = at - now;
        }
        return next;
    }
}
