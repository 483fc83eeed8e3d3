package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreboardHealthTest {
    private final AtomicLong now = new AtomicLong();
    private final Scoreboard scoreboard = new Scoreboard(now::get);

    @Test
    void aLoopThatStopsTurningFailsTheProbe() {
        scoreboard.publish(null, List.of(), 1, 0);
        now.addAndGet(TimeUnit.SECONDS.toNanos(Scoreboard.LOOP_STALLED_SECONDS - 1));
        assertFalse(scoreboard.health().text().contains("loop"), scoreboard.health().text());
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        Scoreboard.Health stalled = scoreboard.health();
        assertFalse(stalled.ok());
        assertTrue(stalled.text().startsWith("unavailable: the master's loop has not run for 61 s"), stalled.text());
        scoreboard.publish(null, List.of(), 1, 0);
        assertFalse(scoreboard.health().text().contains("loop"), "a turn of the loop clears it: " + scoreboard.health().text());
    }
}
