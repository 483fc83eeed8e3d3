package io.jcorn.master;

import io.jcorn.protocol.Hooks;
import io.jcorn.protocol.ServerHooks;

/**
 * Tells those who wait for the master that it serves, or that it will not: systemd (READY=1,
 * RELOADING=1, STOPPING=1, MAINPID= after an upgrade), the command that started a {@code --daemon}
 * (its ready pipe), and the {@code whenReady} hook. "Serves" means a generation of workers serves
 * in full: at start, and again after each reload.
 */
final class Readiness {
    private final SystemdNotifier systemd;
    private final Daemon daemon;
    private final boolean upgraded;
    private final long pid;
    private Hooks hooks = Hooks.NONE;
    private int announcedGeneration = -1;
    private boolean everReady;

    Readiness(SystemdNotifier systemd, Daemon daemon, boolean upgraded, long pid) {
        this.systemd = systemd;
        this.daemon = daemon;
        this.upgraded = upgraded;
        this.pid = pid;
    }

    void useHooks(Hooks hooks) {
        this.hooks = hooks;
    }

    /** True if {@code generation} has not been announced yet. */
    boolean pending(int generation) {
        return announcedGeneration != generation;
    }

    /** {@code generation} serves with {@code workers} workers. */
    void serving(int generation, int workers) {
        announcedGeneration = generation;
        if (!everReady) hooks.run("when_ready", ServerHooks::whenReady);
        everReady = true;
        if (upgraded) systemd.mainPid(pid, workers);
        else systemd.ready(workers);
        daemon.ready();
    }

    void reloading() {
        systemd.reloading();
    }

    /** A reload failed and systemd heard RELOADING=1: the old workers' generation is announced again. */
    void reloadAbandoned() {
        announcedGeneration = -1;
    }

    /** Pings systemd's watchdog if due; the master loop calls this every turn. */
    void keepAlive(long now) {
        systemd.keepAlive(now);
    }

    /** The longest the master loop may sleep without missing a watchdog ping, in ms (or -1). */
    long maxSleepMillis() {
        return systemd.maxSleepMillis();
    }

    /** The master stops; {@code failure} is why, if it never served (null: it was asked to). */
    void stopping(String failure) {
        systemd.stopping();
        daemon.failed(failure);
    }

    void close() {
        systemd.close();
    }
}
