package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;

/**
 * The master's view of one worker: its pid, its number and generation, its heartbeat slot, and
 * what the master itself did to it, so that its exit can be told apart from a crash.
 */
final class WorkerProcess {
    /** What the master asked of this worker; decides how its exit is reported. */
    enum Fate { SERVING, STOPPING, TIMED_OUT }

    /** Why the master stopped a worker. */
    enum StopReason {
        SHUTDOWN("stopped"), RELOAD("stopped by a reload"), SCALE_DOWN("stopped: one worker fewer"),
        FAILED_RELOAD("stopped: its reload failed"), WINCH("stopped by WINCH"),
        MEMORY("recycled: over --max-worker-memory"), ROLLING_RESTART("stopped by a rolling restart");

        final String words;

        StopReason(String words) {
            this.words = words;
        }
    }

    final long pid;
    final int number;
    final int generation;
    final HeartbeatSlot slot;
    final long spawnedAt;
    private boolean booted;
    private boolean bootLogged;
    private Fate fate = Fate.SERVING;
    private StopReason stopReason;
    private long fateSince;
    private boolean killed;

    WorkerProcess(long pid, int number, int generation, HeartbeatSlot slot, long spawnedAt) {
        this.pid = pid;
        this.number = number;
        this.generation = generation;
        this.slot = slot;
        this.spawnedAt = spawnedAt;
    }

    /** True once the worker has beaten at least once, i.e. its app is loaded and it accepts. */
    boolean booted() {
        if (!booted && slot.state() != HeartbeatSlot.BOOTING) booted = true;
        return booted;
    }

    /** True the first time it is asked after the worker booted: the moment to log it. */
    boolean newlyBooted() {
        if (bootLogged || !booted()) return false;
        bootLogged = true;
        return true;
    }

    /** True once the boot has been logged. */
    boolean bootAnnounced() {
        return bootLogged;
    }

    boolean serving() {
        return fate == Fate.SERVING;
    }

    /** Nanoseconds since the last beat (since the spawn, before the first one). */
    long silentFor(long now) {
        long beat = slot.lastBeat();
        return now - (beat == 0 ? spawnedAt : beat);
    }

    Fate fate() {
        return fate;
    }

    StopReason stopReason() {
        return stopReason;
    }

    /** Nanoseconds since the master stopped it or found it hung. */
    long fateAge(long now) {
        return now - fateSince;
    }

    void stopping(StopReason reason, long now) {
        fate = Fate.STOPPING;
        stopReason = reason;
        fateSince = now;
    }

    void timedOut(long now) {
        fate = Fate.TIMED_OUT;
        fateSince = now;
    }

    /** Resident memory in MiB, from /proc; 0 if the process is gone. */
    long residentMiB() {
        return residentBytes(pid) / (1024 * 1024);
    }

    /** Resident memory of a process in bytes, from /proc; 0 if it is gone. */
    static long residentBytes(long pid) {
        try {
            String[] statm = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/statm")).trim().split(" ");
            return Long.parseLong(statm[1]) * 4096;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Marks the SIGKILL as sent; true the first time, so it is logged once. */
    boolean markKilled() {
        if (killed) return false;
        killed = true;
        return true;
    }

    @Override
    public String toString() {
        return "Worker " + number + " (pid:" + pid + ")";
    }
}
