package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void threeCrashesAreFreeThenTheWaitDoublesUpTo30Seconds() {
        Backoff backoff = new Backoff();
        long now = 1_000 * SECOND;
        for (int i = 0; i < 3; i++) assertEquals(0, backoff.crashed(0, now));
        long[] expected = {1, 2, 4, 8, 16, 30, 30};
        for (long seconds : expected) assertEquals(seconds * SECOND, backoff.crashed(0, now));
        assertFalse(backoff.ready(0, now));
        assertTrue(backoff.ready(0, now + 30 * SECOND));
        assertTrue(backoff.ready(1, now), "other worker numbers are not held back");
        assertEquals(30 * SECOND, backoff.nextDue(now));
    }

    @Test
    void crashesOlderThanAMinuteAreForgotten() {
        Backoff backoff = new Backoff();
        long now = 1_000 * SECOND;
        for (int i = 0; i < 3; i++) backoff.crashed(0, now + i * 30 * SECOND);
        assertEquals(0, backoff.crashed(0, now + 100 * SECOND));
        assertEquals(-1, backoff.nextDue(now + 100 * SECOND));
    }
}
