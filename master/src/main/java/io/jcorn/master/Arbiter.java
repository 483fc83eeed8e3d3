package io.jcorn.master;

import io.jcorn.protocol.Hooks;
import io.jcorn.protocol.ServerHooks;
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
    private static final int SIGUSR1 = 10, SIGTERM = 15, WNOHANG = 1;

    private Config config;
    private final java.util.function.Function<List<String>, Config> reread;
    private final long pid = ProcessHandle.current().pid();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Long, WorkerProcess> workers = new LinkedHashMap<>();
    private final Libc libc = new Libc();
    private Spawner spawner;
    private final POSIX posix = POSIXFactory.getNativePOSIX();
    private final Children children = new Children(libc, posix);
    private final Backoff backoff = new Backoff();
    private final ControlPlane controlPlane = new ControlPlane();
    private Listeners listeners;
    private Pidfile pidfile;
    private final Upgrade upgrade = new Upgrade(System.getenv(), pid);
    private final RollingRestart rolling = new RollingRestart(this::stopGracefully);
    private int workerCount;
    private Hooks hooks = Hooks.NONE;
    private Readiness readiness;
    private Timeouts timeouts;
    private String failure;
    private int generation;
    private Integer exitCode;
    private boolean graceful = true;

    /** @param reread reads the settings again from a command line, for HUP */
    Arbiter(Config config, java.util.function.Function<List<String>, Config> reread) {
        this.config = config;
        this.reread = reread;
        this.workerCount = config.workers();
    }

    /** Runs until a stop; returns the master's exit code. */
    int run() {
        readiness = new Readiness(SystemdNotifier.fromEnvironment(System.getenv(), pid),
                Daemon.fromEnvironment(System.getenv(), libc), upgrade.upgradedFrom > 0, pid);
        if (!start()) {
            readiness.stopping(failure);
            return 1;
        }
        while (exitCode == null) {
            readiness.keepAlive(System.nanoTime());
            Event event = nextEvent();
            if (event != null) dispatch(event);
            noteBootedWorkers(); // before reaping: a worker may have booted, served and left meanwhile
            reapWorkers(); // after the wait: the exits a CHLD woke it for are replaced in this round
            timeouts.murderHungWorkers(workers.values(), System.nanoTime());
            recycleBloatedWorkers();
            maintainWorkerCount();
            rolling.advance(workers.values(), generation);
            retireOldGenerations();
            if (upgrade.oldMasterLeft()) takeOverFromOldMaster();
            controlPlane.publish(config, workers.values(), workerCount, generation);
        }
        readiness.stopping(failure);
        stopWorkers();
        controlPlane.close();
        listeners.close(!upgrade.newMasterRuns());
        if (pidfile != null) pidfile.remove();
        log.info("Shutting down: Master");
        hooks.run("on_exit", ServerHooks::onExit);
        readiness.close();
        return exitCode;
    }

    private boolean start() {
        log.info("Starting jcorn {}", JcornCommand.version());
        try {
            hooks = MasterHooks.load(config);
        } catch (IllegalArgumentException e) {
            return failed(e.getMessage());
        }
        hooks.run("on_starting", ServerHooks::onStarting);
        readiness.useHooks(hooks);
        timeouts = new Timeouts(config, posix, hooks);
        Signals.install(events, libc);
        if (config.umask() >= 0) libc.umask(config.umask());
        try {
            List<Integer> passed = SocketActivation.passedFds(System.getenv(), pid);
            if (!passed.isEmpty()) {
                log.info("Using {} listening socket(s) passed by {}", passed.size(),
                        upgrade.upgradedFrom > 0 ? "the old master (pid:" + upgrade.upgradedFrom + ")" : "systemd (LISTEN_FDS)");
            }
            listeners = passed.isEmpty() ? Listeners.bind(config.binds(), Listeners.SocketAccess.of(config)) : Listeners.inherit(passed, upgrade.upgradedFrom > 0, libc);
        } catch (Listeners.BindError e) {
            return failed(e.getMessage());
        }
        for (Listeners.Listener listener : listeners.all()) log.info("Listening at: {} ({})", listener.url(), pid);
        if (config.pidfile() != null && !claimPidfile()) return false;
        log.info("Using worker: {}", config.workerClass().kind().label());
        try {
            spawner = new Spawner(config, libc, listeners, pid);
        } catch (IOException e) {
            return failed("Can't prepare the workers' output: " + e.getMessage());
        }
        String trouble = controlPlane.start(config, events, upgrade.upgradedFrom > 0);
        return trouble == null || failed(trouble);
    }

    private boolean claimPidfile() {
        try {
            Path path = config.pidfile();
            pidfile = Pidfile.claim(upgrade.upgradedFrom > 0 ? Path.of(path + ".2") : path, pid);
            return true;
        } catch (java.io.IOException e) {
            listeners.close();
            return failed(e.getMessage());
        }
    }

    private void dispatch(Event event) {
        if (event != Event.CHLD) log.info("Handling signal: {}", event.signal.toLowerCase());
        switch (event) {
            case CHLD -> { } // reaped at the top of the loop
            case TERM -> halt(0, true);
            case INT -> halt(0, false);
            case HUP -> reload();
            case TTIN -> setWorkerCount(workerCount + 1);
            case TTOU -> setWorkerCount(Math.max(1, workerCount - 1));
            case WINCH -> stopAllWorkers();
            case USR2 -> upgrade.start(libc, listeners, config);
            case USR1 -> reopenLogs();
            case ROLLING_RESTART -> startRollingRestart();
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
        long watchdog = readiness.maxSleepMillis();
        return watchdog > 0 ? Math.min(tick, watchdog) : tick;
    }

    /** Logs why the master cannot go on; a --daemon command exits with it. */
    private boolean failed(String why) {
        log.error(why);
        failure = why;
        return false;
    }

    private void setWorkerCount(int count) {
        int old = workerCount;
        workerCount = count;
        if (count != old) hooks.run("nworkers_changed", h -> h.nworkersChanged(count, old));
    }

    private void halt(int code, boolean gracefully) {
        if (exitCode == null) {
            exitCode = code;
            graceful = gracefully;
            controlPlane.stopping();
        }
    }

    /** HUP: a new generation of workers (new JVMs: replaced jars are picked up); the old one retires once it serves. */
    private void reload() {
        rereadSettings();
        hooks.run("on_reload", ServerHooks::onReload);
        setWorkerCount(config.workers());
        generation++;
        log.info("Reloading: starting {} new workers", workerCount);
        readiness.reloading();
    }

    // Gunicorn's HUP reads the config file again too, the master's own logging included. A changed
    // --bind would need new sockets, which an upgrade (USR2) gives without dropping a connection.
    private void rereadSettings() {
        Config fresh;
        try {
            fresh = reread.apply(config.argv());
        } catch (RuntimeException e) {
            log.error("Reload keeps the current settings: {}", e.getMessage());
            return;
        }
        if (!fresh.binds().equals(config.binds())) log.warn("--bind changed: the sockets stay as they are until a USR2 upgrade");
        config = fresh;
        ErrorLog.reconfigure(fresh);
        ErrorLog.handOver(fresh.accessLog(), fresh.workerUid(), fresh.workerGid());
        timeouts = new Timeouts(fresh, posix, hooks);
        try {
            spawner.use(fresh);
        } catch (IOException e) {
            log.warn("The workers' output stays where it was: {}", e.getMessage());
        }
    }

    /** URG: a new generation too, but started one worker at a time, each old one stopping once its successor serves. */
    private void startRollingRestart() {
        if (rolling.running() || !servingWhere(w -> w.generation < generation || !w.booted()).isEmpty()) {
            log.warn("A reload or rolling restart is still running; ignored");
            return;
        }
        generation++;
        rolling.start(servingWhere(w -> true), generation);
    }

    /** The new master of an upgrade takes over the pidfile once the old master is gone. */
    /** The new master of an upgrade takes the old one's pidfile, control socket and metrics address once it is gone. */
    private void takeOverFromOldMaster() {
        controlPlane.takeOver();
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
        try {
            spawner.reopenLogs();
        } catch (IOException e) {
            log.warn("Can't reopen the log file for the workers' output: {}", e.getMessage());
        }
        for (WorkerProcess worker : workers.values()) {
            // A worker handles USR1 once it has booted; before that the signal would kill it.
            if (worker.booted()) kill(worker, SIGUSR1);
        }
        log.info("Reopened the log files");
    }

    /** WINCH: stop every worker gracefully and keep the master (TTIN or HUP starts workers again). */
    private void stopAllWorkers() {
        setWorkerCount(0);
        for (WorkerProcess worker : workers.values()) {
            if (worker.serving()) stopGracefully(worker, WorkerProcess.StopReason.WINCH);
        }
    }

    private void reapWorkers() {
        upgrade.reapNewMaster(posix);
        for (WorkerProcess worker : List.copyOf(workers.values())) {
            int[] status = new int[1];
            if (posix.waitpid(worker.pid, status, WNOHANG) == worker.pid) {
                workers.remove(worker.pid);
                onExit(worker, ExitStatus.fromWaitStatus(status[0]));
                hooks.run("child_exit", h -> h.childExit(worker.number, worker.pid));
            }
        }
        children.reapStrangers(pid -> workers.containsKey(pid) || upgrade.isNewMaster(pid));
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
        if (rolling.running()) {
            log.error("Rolling restart stopped, the workers not yet replaced keep serving. {}", why);
            rolling.halt();
        } else if (olderGenerationServes()) {
            log.error("Reload failed, the old workers keep serving. {}", why);
            abandonGeneration();
        } else {
            failed(why);
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
        readiness.reloadAbandoned();
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
        if (readiness.pending(generation) && workerCount > 0
                && servingWhere(w -> w.generation == generation && w.booted()).size() >= workerCount) {
            readiness.serving(generation, workerCount);
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
            if (!taken.contains(number) && !rolling.holds(number) && backoff.ready(number, now)) spawnWorker(number);
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
        hooks.run("pre_fork", h -> h.preFork(number));
        try {
            WorkerProcess worker = spawner.spawn(number, generation);
            workers.put(worker.pid, worker);
            log.info("Booting worker with pid: {}", worker.pid);
        } catch (IOException e) {
            failed("Can't start a worker: " + e.getMessage());
            halt(WorkerContract.EXIT_WORKER_BOOT_ERROR, false);
        }
    }

    private void stopGracefully(WorkerProcess worker, WorkerProcess.StopReason reason) {
        worker.stopping(reason, System.nanoTime());
        kill(worker, SIGTERM);
    }

    // The server stops unless another master (an upgrade's) serves on the same sockets: then
    // unix clients can no longer come, and the connections already queued are served.
    private void stopWorkers() {
        boolean serverStops = graceful && !upgrade.anotherMasterRuns();
        if (serverStops) listeners.unlinkSocketFiles();
        new Shutdown(workers, this::reapWorkers, events, posix).stopWorkers(graceful, serverStops, config.gracefulTimeout());
    }

    private void kill(WorkerProcess worker, int signal) {
        posix.kill(worker.pid, signal);
    }
}
