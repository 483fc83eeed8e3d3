package io.jcorn.master;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;

/**
 * A rolling restart (Puma's phased restart, which Gunicorn lacks): the workers are replaced one
 * at a time, and each old worker stops only once its replacement serves, so the server never
 * has fewer than its number of workers accepting.
 *
 * <p>The new workers form a new generation, as on a reload; the difference is that this class
 * holds the worker numbers of the old workers still waiting for their turn, so the arbiter
 * starts one replacement at a time instead of a whole generation at once.
 */
final class RollingRestart {
    private static final Logger log = LoggerFactory.getLogger(RollingRestart.class);

    /** How the arbiter stops an old worker gracefully. */
    interface Stopper {
        void stop(WorkerProcess worker, WorkerProcess.StopReason reason);
    }

    private final Stopper stopper;
    private final Deque<WorkerProcess> waiting = new ArrayDeque<>();
    private WorkerProcess inTurn;
    private int generation = -1;
    private boolean halted;
    private int replaced;

    RollingRestart(Stopper stopper) {
        this.stopper = stopper;
    }

    /** True while workers are being replaced. */
    boolean running() {
        return generation >= 0 && !halted;
    }

    /** Replaces {@code serving} (the serving workers) by workers of {@code newGeneration}, one at a time. */
    void start(Collection<WorkerProcess> serving, int newGeneration) {
        waiting.clear();
        serving.stream().sorted(Comparator.comparingInt((WorkerProcess w) -> w.number)).forEach(waiting::add);
        generation = newGeneration;
        halted = false;
        replaced = 0;
        inTurn = waiting.pollFirst();
        log.info("Rolling restart: replacing {} workers one at a time", waiting.size() + (inTurn == null ? 0 : 1));
    }

    /** True if worker {@code number} must not be started yet: its old worker serves and waits for its turn. */
    boolean holds(int number) {
        if (generation < 0) return false;
        for (WorkerProcess old : waiting) if (old.number == number && old.serving()) return true;
        return halted && inTurn != null && inTurn.number == number && inTurn.serving();
    }

    /**
     * Once the replacement of the worker in turn serves, stops that old worker and moves on to
     * the next. Called every turn of the arbiter loop.
     */
    void advance(Collection<WorkerProcess> workers, int currentGeneration) {
        if (generation < 0) return;
        if (currentGeneration != generation) {
            log.info("Rolling restart overtaken by a reload");
            generation = -1;
            return;
        }
        while (!halted) {
            if (inTurn != null) {
                WorkerProcess fresh = replacement(workers, inTurn.number);
                if (inTurn.serving() && fresh == null) return;
                if (inTurn.serving()) {
                    log.info("Rolling restart: {} serves, stopping {}", fresh, inTurn);
                    stopper.stop(inTurn, WorkerProcess.StopReason.ROLLING_RESTART);
                }
                replaced++;
            }
            inTurn = waiting.pollFirst();
            if (inTurn == null) {
                log.info("Rolling restart complete: {} workers replaced", replaced);
                generation = -1;
                return;
            }
        }
    }

    /**
     * A new worker failed to boot: the ones not yet replaced keep serving, and their numbers stay
     * held until the next rolling restart or reload.
     */
    void halt() {
        halted = true;
    }

    // Booted and announced: the "booted" log line comes before the old worker's stop.
    private WorkerProcess replacement(Collection<WorkerProcess> workers, int number) {
        for (WorkerProcess w : workers) {
            if (w.generation == generation && w.number == number && w.serving() && w.bootAnnounced()) return w;
        }
        return null;
    }
}
