package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;
import jnr.posix.POSIX;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The master's stop: TERM (workers finish their requests) or INT (they leave now), then KILL for
 * whoever is left at the deadline, reaping all along.
 */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    private static final int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;
    private static final long QUICK_STOP = TimeUnit.SECONDS.toNanos(2);

    private final Map<Long, WorkerProcess> workers;
    private final Runnable reap;
    private final BlockingQueue<Event> events;
    private final POSIX posix;

    Shutdown(Map<Long, WorkerProcess> workers, Runnable reap, BlockingQueue<Event> events, POSIX posix) {
        this.workers = workers;
        this.reap = reap;
        this.events = events;
        this.posix = posix;
    }

    /**
     * Stops every worker. {@code serverStops}: no other master serves on these sockets, so the
     * workers first serve the connections already queued in the kernel.
     */
    void stopWorkers(boolean gracefully, boolean serverStops, int gracefulSeconds) {
        long deadline = System.nanoTime() + (gracefully ? TimeUnit.SECONDS.toNanos(gracefulSeconds) : QUICK_STOP);
        for (WorkerProcess worker : workers.values()) {
            if (worker.fate() != WorkerProcess.Fate.TIMED_OUT) worker.stopping(WorkerProcess.StopReason.SHUTDOWN, System.nanoTime());
            if (serverStops) worker.slot.ask(HeartbeatSlot.DRAIN);
            posix.kill(worker.pid, gracefully ? SIGTERM : SIGINT);
        }
        awaitExits(deadline);
        for (WorkerProcess worker : workers.values()) {
            log.warn("{} did not stop in time; killing it", worker);
            posix.kill(worker.pid, SIGKILL);
        }
        awaitExits(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }

    private void awaitExits(long deadline) {
        while (true) {
            reap.run();
            if (workers.isEmpty() || System.nanoTime() >= deadline) return;
            pollQuietly();
        }
    }

    // While stopping, a second TERM or INT changes nothing; CHLD only wakes the reaping.
    private void pollQuietly() {
        try {
            events.poll(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
