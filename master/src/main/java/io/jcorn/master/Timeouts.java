package io.jcorn.master;

import io.jcorn.protocol.Hooks;
import jnr.posix.POSIX;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Workers that overstay: one silent for {@code --timeout} is hung, and is first asked for a thread
 * dump (SIGQUIT: the JVM prints it, into the error log), so the operator sees where it hung, then
 * killed a moment later; one told to stop that is still there after {@code --graceful-timeout} is
 * killed.
 */
final class Timeouts {
    private static final Logger log = LoggerFactory.getLogger(Timeouts.class);
    private static final int SIGQUIT = 3, SIGKILL = 9;
    // Time for a hung worker's JVM to print its thread dump before it is killed.
    private static final long DUMP_GRACE = TimeUnit.SECONDS.toNanos(1);

    private final int timeoutSeconds, gracefulSeconds;
    private final POSIX posix;
    private final Hooks hooks;

    Timeouts(Config config, POSIX posix, Hooks hooks) {
        this.timeoutSeconds = config.timeout();
        this.gracefulSeconds = config.gracefulTimeout();
        this.posix = posix;
        this.hooks = hooks;
    }

    void murderHungWorkers(Collection<WorkerProcess> workers, long now) {
        long timeout = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long grace = TimeUnit.SECONDS.toNanos(gracefulSeconds);
        for (WorkerProcess worker : workers) {
            switch (worker.fate()) {
                case SERVING -> {
                    if (timeout > 0 && worker.silentFor(now) > timeout) abort(worker, now);
                }
                case TIMED_OUT -> {
                    if (worker.fateAge(now) > DUMP_GRACE && worker.markKilled()) posix.kill(worker.pid, SIGKILL);
                }
                case STOPPING -> {
                    if (worker.fateAge(now) > grace && worker.markKilled()) {
                        log.warn("{} did not stop within {} s; killing it", worker, gracefulSeconds);
                        posix.kill(worker.pid, SIGKILL);
                    }
                }
            }
        }
    }

    private void abort(WorkerProcess worker, long now) {
        log.error("WORKER TIMEOUT (pid:{}): silent for {} s; its thread dump follows, then it is killed",
                worker.pid, timeoutSeconds);
        worker.timedOut(now);
        hooks.run("worker_abort", h -> h.workerAbort(worker.number, worker.pid));
        posix.kill(worker.pid, SIGQUIT);
    }
}
