package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;
import io.jcorn.protocol.WorkerContract;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Starts one worker JVM: a heartbeat slot (memfd) of its own, the listening sockets at fd 3..,
 * the contract in its environment, and the JVM flags workers run with.
 */
final class Spawner {
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // OOM: let the master replace the worker, not limp on; VM output (the SIGQUIT thread dump) on
    // stderr, which goes to the error log. The tuning flags (GC, heap...) are --worker-jvm-opts.
    static final List<String> WORKER_JVM_FLAGS = List.of("-XX:+ExitOnOutOfMemoryError",
            "-XX:+DisplayVMOutputToStderr", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
    // systemd and an upgrade speak to the master alone; a worker must not answer for it.
    private static final List<String> MASTER_ONLY_ENV = List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
            "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "_JAVA_SR_SIGNUM", Upgrade.FDS, Upgrade.FROM,
            Daemon.READY_FD);

    private Config config;
    private final Libc libc;
    private final Listeners listeners;
    private final long masterPid;
    private List<String> command;
    private final Random jitter = new Random();
    private WorkerOutput output;

    Spawner(Config config, Libc libc, Listeners listeners, long masterPid) throws IOException {
        this.config = config;
        this.libc = libc;
        this.listeners = listeners;
        this.masterPid = masterPid;
        this.command = command(config);
        this.output = WorkerOutput.open(config, libc);
    }

    /** The worker's command line: as whom it runs, its JVM and its flags. */
    private static List<String> command(Config config) {
        List<String> command = new ArrayList<>(switchUser(config));
        command.add(JAVA);
        List<String> flags = jvmFlags(config);
        command.addAll(flags);
        command.addAll(AotCache.workerFlags(JAVA, flags, config.workerClasspath(),
                config.workerUid() >= 0 || config.workerGid() >= 0));
        if (config.workerTmpDir() != null) command.add("-Djava.io.tmpdir=" + config.workerTmpDir());
        command.addAll(List.of("-cp", config.workerClasspath(), "io.jcorn.worker.WorkerMain"));
        return command;
    }

    /** The worker JVM's flags: --worker-jvm-opts and the ones jcorn needs. */
    static List<String> jvmFlags(Config config) {
        List<String> flags = new ArrayList<>(config.workerJvmOpts());
        flags.addAll(WORKER_JVM_FLAGS);
        return flags;
    }

    /**
     * HUP: workers spawned from now on get the settings read again: their output copied to a
     * changed {@code --error-logfile}, and run as a changed {@code --user/--group} with changed
     * {@code --worker-jvm-opts} (an AOT cache for them may be trained first, as at start-up).
     */
    void use(Config reread) throws IOException {
        if (!reread.errorLog().equals(config.errorLog())) output = output.follow(reread, libc);
        if (!commandSettings(reread).equals(commandSettings(config))) command = command(reread);
        this.config = reread;
    }

    private static List<Object> commandSettings(Config config) {
        return java.util.Arrays.asList(config.workerUid(), config.workerGid(), config.workerJvmOpts(), config.workerTmpDir());
    }

    /** Starts worker {@code number} of {@code generation}. */
    WorkerProcess spawn(int number, int generation) throws IOException {
        int memfd = libc.memfd("jcorn-heartbeat-" + number);
        try {
            HeartbeatSlot slot = HeartbeatSlot.map(Path.of("/proc/self/fd/" + memfd));
            int[] listenerFds = listeners.fds();
            int[] fds = Arrays.copyOf(listenerFds, listenerFds.length + 1);
            fds[listenerFds.length] = memfd;
            WorkerContract contract = new WorkerContract(listeners.forWorker(),
                    WorkerContract.FIRST_LISTENER_FD + listenerFds.length, masterPid, number, config.app(),
                    config.classpath(), config.timeout(), config.logLevel(), maxRequests(), config.errorLog(),
                    config.parser(), config.keepAlive(), config.gracefulTimeout(), config.workerClass(), config.forwardedAllowIps(),
                    config.secureSchemeHeaders(), config.proxyProtocol(), config.proxyAllowFrom(),
                    config.accessLog() == null ? "" : config.accessLog(), config.accessLogFormat(), config.timeouts());
            Map<String, String> env = new LinkedHashMap<>(System.getenv());
            env.keySet().removeAll(MASTER_ONLY_ENV);
            env.putAll(config.env());
            env.putAll(contract.toEnvironment());
            if (config.hooks() != null) env.put(WorkerContract.HOOKS, config.hooks());
            long spawnedAt = System.nanoTime();
            long pid = libc.spawn(command, env, fds, WorkerContract.FIRST_LISTENER_FD,
                    config.chdir() == null ? null : config.chdir().toString(), output.stdio());
            return new WorkerProcess(pid, number, generation, slot, spawnedAt);
        } finally {
            libc.close(memfd);
        }
    }

    /** USR1: the copy of the workers' output lets go of a rotated log file too. */
    void reopenLogs() throws IOException {
        output.reopen();
    }

    // posix_spawn cannot change the user; util-linux's setpriv does, then execs the JVM in the same
    // process, so the pid, the inherited sockets and the heartbeat slot are the worker's.
    static List<String> switchUser(Config config) {
        if (config.workerUid() < 0 && config.workerGid() < 0) return List.of();
        List<String> prefix = new ArrayList<>(List.of("setpriv"));
        if (config.workerGid() >= 0) prefix.add("--regid=" + config.workerGid());
        if (config.workerUid() >= 0) prefix.addAll(List.of("--reuid=" + config.workerUid(), "--init-groups"));
        else prefix.add("--clear-groups");
        return prefix;
    }

    /** --max-requests plus up to --max-requests-jitter, so workers do not all restart at once. */
    private long maxRequests() {
        if (config.maxRequests() <= 0) return 0;
        return config.maxRequests() + jitter.nextInt(config.maxRequestsJitter() + 1);
    }
}
