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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The master: keeps the right number of workers serving and turns signals into actions. It never
 * accepts a connection or reads a request.
 */
final class Arbiter {
    private static final Logger log = LoggerFactory.getLogger(Arbiter.class);
    private static final int SIGKILL = 9, SIGTERM = 15, SIGINT = 2, WNOHANG = 1;
    private static final long QUICK_STOP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Serial GC: a worker is one small process of many; OOM: let the master replace it, not limp on.
    private static final List<String> WORKER_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    private final Config config;
    private List<String> aotFlags = List.of();
    private final long pid = ProcessHandle.current().pid();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Long, WorkerProcess> workers = new LinkedHashMap<>();
    private final Spawner spawner = new Spawner();
    private final POSIX posix = POSIXFactory.getNativePOSIX();
    private Listeners listeners;
    private int workerCount;
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
            reapWorkers();
            Event event = nextEvent();
            if (event != null) dispatch(event);
            noteBootedWorkers();
            murderHungWorkers();
            maintainWorkerCount();
        }
        stopWorkers(graceful);
        listeners.close();
        log.info("Shutting down: Master");
        return exitCode;
    }

    private boolean start() {
        log.info("Starting jcorn {}", JcornCommand.version());
        Signals.install(events, spawner);
        try {
            listeners = Listeners.bind(config.binds());
        } catch (Listeners.BindError e) {
            log.error(e.getMessage());
            return false;
        }
        for (Listeners.Listener listener : listeners.all()) log.info("Listening at: {} ({})", listener.url(), pid);
        log.info("Using worker: {}", config.workerClass());
        aotFlags = AotCache.workerFlags(JAVA, WORKER_JVM_FLAGS, config.workerClasspath());
        return true;
    }

    private void dispatch(Event event) {
        if (event != Event.CHLD) log.info("Handling signal: {}", event.name().toLowerCase());
        switch (event) {
            case CHLD -> { } // reaped at the top of the loop
            case TERM -> halt(0, true);
            case INT -> halt(0, false);
            case TTIN -> workerCount++;
            case TTOU -> workerCount = Math.max(1, workerCount - 1);
            case HUP, USR1, USR2, WINCH -> log.warn("SIG{} is not supported yet; ignored", event.name());
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
            if (!w.booted() || w.fate() != WorkerProcess.Fate.SERVING) return 100;
        }
        return config.timeout() == 0 ? 1000 : Math.clamp(config.timeout() * 1000L / 4, 100, 1000);
    }

    private void halt(int code, boolean gracefully) {
        if (exitCode == null) {
            exitCode = code;
            graceful = gracefully;
        }
    }

    private void reapWorkers() {
        for (WorkerProcess worker : List.copyOf(workers.values())) {
            int[] status = new int[1];
            if (posix.waitpid(worker.pid, status, WNOHANG) == worker.pid) {
                workers.remove(worker.pid);
                reportExit(worker, ExitStatus.fromWaitStatus(status[0]));
            }
        }
    }

    private void reportExit(WorkerProcess worker, ExitStatus status) {
        if (!worker.booted() && worker.fate() == WorkerProcess.Fate.SERVING && !status.signaled() && exitCode == null) {
            reportBootFailure(worker, status);
            return;
        }
        switch (worker.fate()) {
            case TIMED_OUT -> log.error("{} was killed by the master after timing out", worker);
            case STOPPING -> log.info("{} exited ({})", worker, status);
            case SERVING -> {
                if (status.signaled()) {
                    log.error("{} was killed by {} from outside jcorn{}", worker, status.signalName(),
                            status.signal() == SIGKILL ? " (the kernel's OOM killer is a usual suspect)" : "");
                } else {
                    log.error("{} exited unexpectedly with code {}", worker, status.code());
                }
            }
        }
    }

    // A worker that cannot boot will not boot the next time either: stop instead of respawning.
    private void reportBootFailure(WorkerProcess worker, ExitStatus status) {
        String reason = worker.slot.readMessage();
        if (status.code() == WorkerContract.EXIT_APP_LOAD_ERROR) {
            log.error("App failed to load: {}", reason);
            halt(WorkerContract.EXIT_APP_LOAD_ERROR, false);
        } else {
            log.error("Worker failed to boot ({}): {}", status,
                    reason.isEmpty() ? "see the worker's output above" : reason);
            halt(WorkerContract.EXIT_WORKER_BOOT_ERROR, false);
        }
    }

    private void noteBootedWorkers() {
        for (WorkerProcess worker : workers.values()) {
            if (!worker.bootLogged && worker.booted()) {
                worker.bootLogged = true;
                log.info("{} booted in {} ms", worker,
                        TimeUnit.NANOSECONDS.toMillis(worker.slot.lastBeat() - worker.spawnedAt));
            }
        }
    }

    private void murderHungWorkers() {
        long now = System.nanoTime();
        long timeout = TimeUnit.SECONDS.toNanos(config.timeout());
        long grace = TimeUnit.SECONDS.toNanos(config.gracefulTimeout());
        for (WorkerProcess worker : workers.values()) {
            if (worker.fate() == WorkerProcess.Fate.SERVING && timeout > 0 && worker.silentFor(now) > timeout) {
                log.error("WORKER TIMEOUT (pid:{})", worker.pid);
                worker.setFate(WorkerProcess.Fate.TIMED_OUT);
                kill(worker, SIGKILL);
            } else if (worker.fate() == WorkerProcess.Fate.STOPPING && now - worker.stoppingSince > grace) {
                log.warn("{} did not stop within {} s; killing it", worker, config.gracefulTimeout());
                kill(worker, SIGKILL);
            }
        }
    }

    private void maintainWorkerCount() {
        List<WorkerProcess> serving = new ArrayList<>();
        for (WorkerProcess w : workers.values()) if (w.fate() == WorkerProcess.Fate.SERVING) serving.add(w);
        for (int n = serving.size(); n < workerCount && exitCode == null; n++) spawnWorker(freeNumber());
        serving.sort((a, b) -> Integer.compare(b.number, a.number));
        for (int i = 0; i < serving.size() - workerCount; i++) stopGracefully(serving.get(i));
    }

    private int freeNumber() {
        Map<Integer, Boolean> taken = new HashMap<>();
        for (WorkerProcess w : workers.values()) if (w.fate() == WorkerProcess.Fate.SERVING) taken.put(w.number, true);
        int number = 0;
        while (taken.containsKey(number)) number++;
        return number;
    }

    private void spawnWorker(int number) {
        int memfd = -1;
        try {
            memfd = spawner.memfd("jcorn-heartbeat-" + number);
            HeartbeatSlot slot = HeartbeatSlot.map(Path.of("/proc/self/fd/" + memfd));
            int[] listenerFds = listeners.fds();
            int[] fds = java.util.Arrays.copyOf(listenerFds, listenerFds.length + 1);
            fds[listenerFds.length] = memfd;
            WorkerContract contract = new WorkerContract(listeners.forWorker(),
                    WorkerContract.FIRST_LISTENER_FD + listenerFds.length, pid, number, config.app(),
                    config.classpath(), config.timeout(), config.logLevel());
            Map<String, String> env = new LinkedHashMap<>(System.getenv());
            env.putAll(contract.toEnvironment());
            long now = System.nanoTime();
            long child = spawner.spawn(workerCommand(), env, fds, WorkerContract.FIRST_LISTENER_FD);
            workers.put(child, new WorkerProcess(child, number, slot, now));
            log.info("Booting worker with pid: {}", child);
        } catch (IOException e) {
            log.error("Can't start a worker: {}", e.getMessage());
            halt(WorkerContract.EXIT_WORKER_BOOT_ERROR, false);
        } finally {
            if (memfd >= 0) spawner.close(memfd);
        }
    }

    private List<String> workerCommand() {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(WORKER_JVM_FLAGS);
        command.addAll(aotFlags);
        command.addAll(List.of("-cp", config.workerClasspath(), "io.jcorn.worker.WorkerMain"));
        return command;
    }

    private void stopGracefully(WorkerProcess worker) {
        worker.setFate(WorkerProcess.Fate.STOPPING);
        worker.stoppingSince = System.nanoTime();
        kill(worker, SIGTERM);
    }

    /** TERM (finish in-flight requests) or INT (now), then KILL whoever is left at the deadline. */
    private void stopWorkers(boolean gracefully) {
        long deadline = System.nanoTime()
                + (gracefully ? TimeUnit.SECONDS.toNanos(config.gracefulTimeout()) : QUICK_STOP_NANOS);
        for (WorkerProcess worker : workers.values()) {
            worker.setFate(WorkerProcess.Fate.STOPPING);
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
