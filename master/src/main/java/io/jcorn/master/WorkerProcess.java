package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;

/**
 * The master's view of one worker: its pid, its number, its heartbeat slot, and what the master
 * itself did to it (so an exit can be told apart from a crash).
 */
final class WorkerProcess {
    /** What the master asked of this worker, if anything; decides how its exit is reported. */
    enum Fate { SERVING, STOPPING, TIMED_OUT }

    final long pid;
    final int number;
    final HeartbeatSlot slot;
    final long spawnedAt;
    private boolean booted;
    private Fate fate = Fate.SERVING;
    boolean bootLogged;
    long stoppingSince;

    WorkerProcess(long pid, int number, HeartbeatSlot slot, long spawnedAt) {
        this.pid = pid;
        this.number = number;
        this.slot = slot;
        this.spawnedAt = spawnedAt;
    }

    /** True once the worker has beaten at least once, i.e. its app is loaded and it accepts. */
    boolean booted() {
        if (!booted && slot.state() != HeartbeatSlot.BOOTING) booted = true;
        return booted;
    }

    /** Nanoseconds since the last beat (since the spawn, before the first one). */
    long silentFor(long now) {
        long beat = slot.lastBeat();
        return now - (beat == 0 ? spawnedAt : beat);
    }

    Fate fate() {
        return fate;
    }

    void setFate(Fate fate) {
        this.fate = fate;
    }

    @Override
    public String toString() {
        return "Worker " + number + " (pid:" + pid + ")";
    }
}
