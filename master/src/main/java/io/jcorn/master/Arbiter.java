package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;
import io.jcorn.protocol.WorkerContract;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The master: keeps the right number of workers serving and turns signals into actions. It never
 * accepts a connection or reads a request.
 *
 * <p>Workers belong to a generation; a reload (HUP) starts a new one and retires the older ones
 * once the new one serves, so some workers accept at every moment.
 */
final class Arbiter {
    private static final Logger log = LoggerFactory.getLogger(Arbiter.class);
    private static final int SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGTERM = 15, WNOHANG = 1;
    private static final long QUICK_STOP = TimeUnit.SECONDS.toNanos(2);
    // Time for a hung worker's JVM to print its thread dump before it is killed.
    private static final long DUMP_GRACE = TimeUnit.SECONDS.toNanos(1);

    private final Config config;
    private final long pid = ProcessHandle.current().pid();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Long, WorkerProcess> workers = new LinkedHashMap<>();
    private final Libc libc = new Libc();
    private Spawner spawner;
    private final POSIX posix = POSIXFactory.getNativePOSIX();
    private final Backoff backoff = new Backoff();
    private final ControlPlane controlPlane = new ControlPlane();
    private Listeners listeners;
    private Pidfile pidfile;
    private final SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv(), pid);
    private int announcedGeneration = -1;
    private final long upgradedFrom = Upgrade.oldMaster(System.getenv());
    private long oldMaster = upgradedFrom;
    private long newMaster;
    private int workerCount;
    private int generation;
    private Integer exitCode;
    private boolean graceful = true;

    Arbiter(Config config) {
        this.config = config;
        this.workerCount = config.workers();
    }

    /** Runs until a stop; returns the master's exit code. */
    int run() {
        if (!start()) return 1;
        while (exitCode == null) {
            systemd.keepAlive(System.nanoTime());
            reapWorkers();
            Event event = nextEvent();
            if (event != null) dispatch(event);
            noteBootedWorkers();
            murderHungWorkers();
            recycleBloatedWorkers();
            maintainWorkerCount();
            retireOldGenerations();
            watchOldMaster();
            controlPlane.publish(workers.values(), workerCount, generation);
        }
        systemd.stopping();
        stopWorkers(graceful);
        controlPlane.close();
        listeners.close(newMaster == 0 || !Upgrade.alive(newMaster));
        if (pidfile != null) pidfile.remove();
        log.info("Shutting down: Master");
        systemd.close();
        return exitCode;
    }

    private boolean start() {
        log.info("Starting jcorn {}", JcornCommand.version());
        Signals.install(events, libc);
        if (config.umask() >= 0) libc.umask(config.umask());
        try {
            List<Integer> passed = SocketActivation.passedFds(System.getenv(), pid);
            if (!passed.isEmpty()) {
                log.info("Using {} listening socket(s) passed by {}", passed.size(),
                        upgradedFrom > 0 ? "the old master (pid:" + upgradedFrom + ")" : "systemd (LISTEN_FDS)");
            }
            listeners = passed.isEmpty() ? Listeners.bind(config.binds()) : Listeners.inherit(passed, upgradedFrom > 0, libc);
        } catch (Listeners.BindError e) {
            log.error(e.getMessage());
            return false;
        }
        for (Listeners.Listener listener : listeners.all()) log.info("Listening at: {} ({})", listener.url(), pid);
        if (config.pidfile() != null && !claimPidfile()) return false;
        log.info("Using worker: {}", config.workerClass());
        spawner = new Spawner(config, libc, listeners, pid);
        if (controlPlane.start(config, events)) return true;
        listeners.close();
        return false;
    }

    private boolean claimPidfile() {
        try {
            Path path = config.pidfile();
            pidfile = Pidfile.claim(upgradedFrom > 0 ? Path.of(path + ".2") : path, pid);
            return true;
        } catch (java.io.IOException e) {
            log.error(e.getMessage());
            listeners.close();
            return false;
        }
    }

    private void dispatch(Event event) {
        if (event != Event.CHLD) log.info("Handling signal: {}", event.name().toLowerCase());
        switch (event) {
            case CHLD -> { } // reaped at the top of the loop
            case TERM -> halt(0, true);
            case INT -> halt(0, false);
            case HUP -> reload();
            case TTIN -> workerCount++;
            case TTOU -> workerCount = workerCount > 1 ? workerCount - 1 : workerCount;
            case WINCH -> stopAllWorkers();
            case USR2 -> upgrade();
            case USR1 -> reopenLogs();
        }
    }

    private Event nextEvent() {
        try {
            return events.poll(tickMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            halt(0, false);
            return null;
        }
    }

    // Quick ticks while a worker boots or stops (to see it at once), else a few per timeout.
    private long tickMillis() {
        for (WorkerProcess w : workers.values()) {
            if (!w.booted() || !w.serving()) return 100;
        }
        long tick = config.timeout() == 0 ? 1000 : Math.clamp(config.timeout() * 1000L / 4, 100, 1000);
        long due = backoff.nextDue(System.nanoTime());
        if (due >= 0) tick = Math.clamp(TimeUnit.NANOSECONDS.toMillis(due) + 1, 1, tick);
        long watchdog = systemd.maxSleepMillis();
        return watchdog > 0 ? Math.min(tick, watchdog) : tick;
    }

    private void halt(int code, boolean gracefully) {
        if (exitCode == null) {
            exitCode = code;
            graceful = gracefully;
        }
    }

    /** HUP: a new generation of workers (new JVMs: replaced jars are picked up); the old one retires once it serves. */
    private void reload() {
        workerCount = config.workers();
        generation++;
        log.info("Reloading: starting {} new workers", workerCount);
        systemd.reloading();
    }

    /** USR2: start a new master from the current bin/jcorn on the same sockets; this one serves on. */
    private void upgrade() {
        if (newMaster != 0) {
            log.warn("An upgrade is already running (new master pid:{}); ignored", newMaster);
            return;
        }
        try {
            newMaster = Upgrade.startNewMaster(libc, listeners, config, pid);
            log.info("Upgrading: started a new master with pid {}; send this one WINCH, then TERM, once it serves",
                    newMaster);
        } catch (IOException e) {
            log.error("Upgrade failed, this master serves on: {}", e.getMessage());
        }
    }

    /** The new master of an upgrade takes over the pidfile once the old master is gone. */
    private void watchOldMaster() {
        if (oldMaster == 0 || Upgrade.alive(oldMaster)) return;
        log.info("The old master (pid:{}) is gone; this master takes over", oldMaster);
        oldMaster = 0;
        if (pidfile == null) return;
        try {
            pidfile = pidfile.promote(config.pidfile());
        } catch (IOException e) {
            log.warn("Can't move the pidfile to {}: {}", config.pidfile(), e.getMessage());
        }
    }

    /** USR1: the master and every worker reopen their log file (after logrotate moved it). */
    private void reopenLogs() {
        ErrorLog.reopen();
        for (WorkerProcess worker : workers.values()) {
            // A worker handles USR1 once it has booted; before that the signal would kill it.
            if (worker.booted()) kill(worker, SIGUSR1);
        }
        log.info("Reopened the log files");
    }

    /** WINCH: stop every worker gracefully and keep the master (TTIN or HUP starts workers again). */
    private void stopAllWorkers() {
        workerCount = 0;
        for (WorkerProcess worker : workers.values()) {
            if (worker.serving()) stopGracefully(worker, WorkerProcess.StopReason.WINCH);
        }
    }

    private void reapWorkers() {
        int[] masterStatus = new int[1];
        if (newMaster != 0 && posix.waitpid(newMaster, masterStatus, WNOHANG) == newMaster) {
            log.error("The new master (pid:{}) exited ({}); this master serves on", newMaster,
                    ExitStatus.fromWaitStatus(masterStatus[0]));
            newMaster = 0;
        }
        for (WorkerProcess worker : List.copyOf(workers.values())) {
            int[] status = new int[1];
            if (posix.waitpid(worker.pid, status, WNOHANG) == worker.pid) {
                workers.remove(worker.pid);
                onExit(worker, ExitStatus.fromWaitStatus(status[0]));
            }
        }
    }

    private void onExit(WorkerProcess worker, ExitStatus status) {
        controlPlane.exited(worker, status);
        if (!worker.booted() && worker.serving() && !status.signaled()) {
            bootFailed(worker, status);
        } else if (ExitReport.log(log, worker, status)) {
            long delay = backoff.crashed(worker.number, System.nanoTime());
            if (delay > 0) {
                log.warn("Worker {} keeps crashing; respawning it in {} s", worker.number, TimeUnit.NANOSECONDS.toSeconds(delay));
            }
        }
    }

    // A worker that cannot boot will not boot the next time either: stop instead of respawning,
    // or, if it was a reload, keep the workers that do serve.
    private void bootFailed(WorkerProcess worker, ExitStatus status) {
        if (exitCode != null) {
            log.info("{} did not boot either ({})", worker, status);
            return;
        }
        String reason = worker.slot.readMessage();
        boolean appFailed = status.code() == WorkerContract.EXIT_APP_LOAD_ERROR;
        String why = appFailed ? "App failed to load: " + reason
                : "Worker failed to boot (" + status + "): " + (reason.isEmpty() ? "see the worker's output above" : reason);
        if (olderGenerationServes()) {
            log.error("Reload failed, the old workers keep serving. {}", why);
            abandonGeneration();
        } else {
            log.error(why);
            halt(appFailed ? WorkerContract.EXIT_APP_LOAD_ERROR : WorkerContract.EXIT_WORKER_BOOT_ERROR, false);
        }
    }

    private boolean olderGenerationServes() {
        return workers.values().stream().anyMatch(w -> w.serving() && w.booted() && w.generation < generation);
    }

    private void abandonGeneration() {
        int previous = -1;
        for (WorkerProcess worker : workers.values()) {
            if (!worker.serving()) continue;
            if (worker.generation == generation) stopGracefully(worker, WorkerProcess.StopReason.FAILED_RELOAD);
            else previous = Math.max(previous, worker.generation);
        }
        generation = previous;
        announcedGeneration = -1; // systemd heard RELOADING=1: tell it the old workers serve on

    }

    /** Once the current generation serves in full, older ones finish their requests and exit. */
    private void retireOldGenerations() {
        List<WorkerProcess> old = servingWhere(w -> w.generation < generation);
        if (old.isEmpty() || servingWhere(w -> w.generation == generation && w.booted()).size() < workerCount) return;
        for (WorkerProcess worker : old) stopGracefully(worker, WorkerProcess.StopReason.RELOAD);
        log.info("Reload complete: {} new workers serving", workerCount);
    }

    private void noteBootedWorkers() {
        for (WorkerProcess worker : workers.values()) {
            if (worker.newlyBooted()) {
                log.info("{} booted in {} ms", worker,
                        TimeUnit.NANOSECONDS.toMillis(worker.slot.lastBeat() - worker.spawnedAt));
            }
        }
        // systemd hears READY=1 when a generation serves in full: at start, and after each reload.
        if (announcedGeneration != generation && workerCount > 0
                && servingWhere(w -> w.generation == generation && w.booted()).size() >= workerCount) {
            announcedGeneration = generation;
            if (upgradedFrom > 0) systemd.mainPid(pid, workerCount);
            else systemd.ready(workerCount);
        }
    }

    // A hung worker is first asked for a thread dump (SIGQUIT: the JVM prints it), so the operator
    // sees where it hung; it is killed a moment later.
    private void murderHungWorkers() {
        long now = System.nanoTime();
        long timeout = TimeUnit.SECONDS.toNanos(config.timeout());
        long grace = TimeUnit.SECONDS.toNanos(config.gracefulTimeout());
        for (WorkerProcess worker : workers.values()) {
            switch (worker.fate()) {
                case SERVING -> {
                    if (timeout > 0 && worker.silentFor(now) > timeout) {
                        log.error("WORKER TIMEOUT (pid:{}): silent for {} s; its thread dump follows, then it is killed",
                                worker.pid, config.timeout());
                        worker.timedOut(now);
                        kill(worker, SIGQUIT);
                    }
                }
                case TIMED_OUT -> {
                    if (worker.fateAge(now) > DUMP_GRACE && worker.markKilled()) kill(worker, SIGKILL);
                }
                case STOPPING -> {
                    if (worker.fateAge(now) > grace && worker.markKilled()) {
                        log.warn("{} did not stop within {} s; killing it", worker, config.gracefulTimeout());
                        kill(worker, SIGKILL);
                    }
                }
            }
        }
    }

    // --max-worker-memory: a worker past the limit finishes its request and is replaced; Gunicorn has no such limit.
    private void recycleBloatedWorkers() {
        if (config.maxWorkerMemory() == 0) return;
        for (WorkerProcess worker : workers.values()) {
            if (!worker.serving() || !worker.booted()) continue;
            long rss = worker.residentMiB();
            if (rss > config.maxWorkerMemory()) {
                log.warn("{} uses {} MiB, over --max-worker-memory {}; recycling it", worker, rss, config.maxWorkerMemory());
                stopGracefully(worker, WorkerProcess.StopReason.MEMORY);
            }
        }
    }

    private void maintainWorkerCount() {
        List<WorkerProcess> current = servingWhere(w -> w.generation == generation);
        Set<Integer> taken = new HashSet<>();
        for (WorkerProcess worker : current) taken.add(worker.number);
        long now = System.nanoTime();
        for (int number = 0; number < workerCount && exitCode == null; number++) {
            if (!taken.contains(number) && backoff.ready(number, now)) spawnWorker(number);
        }
        current.sort(Comparator.comparingInt((WorkerProcess w) -> w.number).reversed());
        for (int i = 0; i < current.size() - workerCount; i++) {
            stopGracefully(current.get(i), WorkerProcess.StopReason.SCALE_DOWN);
        }
    }

    private List<WorkerProcess> servingWhere(java.util.function.Predicate<WorkerProcess> test) {
        List<WorkerProcess> result = new ArrayList<>();
        for (WorkerProcess worker : workers.values()) if (worker.serving() && test.test(worker)) result.add(worker);
        return result;
    }

    private void spawnWorker(int number) {
        try {
            WorkerProcess worker = spawner.spawn(number, generation);
            workers.put(worker.pid, worker);
            log.info("Booting worker with pid: {}", worker.pid);
        } catch (IOException e) {
            log.error("Can't start a worker: {}", e.getMessage());
            halt(WorkerContract.EXIT_WORKER_BOOT_ERROR, false);
        }
    }

    private void stopGracefully(WorkerProcess worker, WorkerProcess.StopReason reason) {
        worker.stopping(reason, System.nanoTime());
        kill(worker, SIGTERM);
    }

    /** TERM (finish in-flight requests) or INT (now), then KILL whoever is left at the deadline. */
    private void stopWorkers(boolean gracefully) {
        long deadline = System.nanoTime() + (gracefully ? TimeUnit.SECONDS.toNanos(config.gracefulTimeout()) : QUICK_STOP);
        // The server stops, unless another master (an upgrade's) serves on the same sockets: then
        // unix clients can no longer come, and the connections already queued are served.
        boolean serverStops = gracefully && (newMaster == 0 || !Upgrade.alive(newMaster))
                && (oldMaster == 0 || !Upgrade.alive(oldMaster));
        if (serverStops) listeners.unlinkSocketFiles();
        for (WorkerProcess worker : workers.values()) {
            if (worker.fate() != WorkerProcess.Fate.TIMED_OUT) worker.stopping(WorkerProcess.StopReason.SHUTDOWN, System.nanoTime());
            if (serverStops) worker.slot.ask(HeartbeatSlot.DRAIN);
            kill(worker, gracefully ? SIGTERM : SIGINT);
        }
        while (!workers.isEmpty() && System.nanoTime() < deadline) {
            reapWorkers();
            if (!workers.isEmpty()) pollQuietly();
        }
        for (WorkerProcess worker : workers.values()) {
            log.warn("{} did not stop in time; killing it", worker);
            kill(worker, SIGKILL);
        }
        long reapDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!workers.isEmpty() && System.nanoTime() < reapDeadline) {
            reapWorkers();
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

    private void kill(WorkerProcess worker, int signal) {
        posix.kill(worker.pid, signal);
    }
}
