package io.jcorn.worker;

import io.jcorn.protocol.App;
import io.jcorn.protocol.HeartbeatSlot;
import io.jcorn.protocol.Hooks;
import io.jcorn.protocol.InheritedSockets;
import io.jcorn.protocol.WorkerClass;
import io.jcorn.protocol.WorkerContract;
import io.jcorn.protocol.http.SchemeRules;

import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * A worker JVM's start: read the contract the master left in the environment, map the heartbeat
 * slot, wrap the inherited sockets, load the app, then serve until told to stop.
 *
 * <p>A worker that cannot start exits with {@link WorkerContract#EXIT_APP_LOAD_ERROR} or
 * {@link WorkerContract#EXIT_WORKER_BOOT_ERROR} and leaves the reason in its slot, so the master
 * reports it once and stops instead of respawning it forever.
 */
public final class WorkerMain {
    private static AccessLog accessLog = AccessLog.OFF;

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        WorkerContract contract;
        try {
            contract = WorkerContract.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("jcorn worker: " + e.getMessage());
            System.exit(WorkerContract.EXIT_WORKER_BOOT_ERROR);
            return;
        }
        serve(contract);
        System.exit(0);
    }

    /** A worker's life under {@code contract}: boot, serve until TERM (or INT), then the exit hook. */
    static void serve(WorkerContract contract) throws InterruptedException {
        Log.setLevel(contract.logLevel());
        try {
            Log.toFile(contract.errorLog());
        } catch (java.io.IOException e) {
            System.err.println("jcorn worker: cannot open the error log " + contract.errorLog() + ": " + e.getMessage());
        }
        accessLog = openAccessLog(contract);
        HeartbeatSlot slot = mapSlot(contract.heartbeatFd());
        List<ServerSocketChannel> listeners = openListeners(contract, slot);
        int id = contract.workerId();
        ClassLoader appClasses = appClassLoader(contract, slot);
        Hooks hooks = loadHooks(appClasses, slot);
        hooks.run("post_fork", h -> h.postFork(id));
        App app = loadApp(contract, appClasses, slot);
        hooks.run("post_worker_init", h -> h.postWorkerInit(id));
        Worker worker = new Worker(listeners, contract.listeners(), slot, contract.masterPid(), contract.timeoutSeconds());
        WorkerClass workerClass = contract.workerClass();
        Connections connections = workerClass.keepsConnections()
                ? Connections.kept(contract.keepAliveSeconds(), contract.timeouts().headerRead(), contract.gracefulSeconds())
                : Connections.closeEach();
        HttpHandler handler = new HttpHandler(app, hooks, contract.parser(),
                new RequestEnviron(id, System.getenv().getOrDefault("SCRIPT_NAME", ""), System.err,
                        workerClass.multithread()),
                connections,
                SchemeRules.parse(contract.forwardedAllowIps(), contract.secureSchemeHeaders()),
                ProxyProtocol.parse(contract.proxyProtocol(), contract.proxyAllowFrom()), accessLog, slot.score(),
                contract.timeouts(), worker.inFlight(contract.maxRequests(), contract.timeouts().request()));
        handleSignals(worker, () -> hooks.run("worker_int", h -> h.workerInt(id)));
        worker.run(ConnectionThreads.of(workerClass, handler, connections), connections);
        hooks.run("worker_exit", h -> h.workerExit(id));
        Log.info("Worker exiting (pid: " + ProcessHandle.current().pid() + ")");
    }

    private static HeartbeatSlot mapSlot(int fd) {
        try {
            return HeartbeatSlot.map(Path.of("/proc/self/fd/" + fd));
        } catch (Exception e) {
            System.err.println("jcorn worker: cannot map the heartbeat slot at fd " + fd + ": " + e);
            System.exit(WorkerContract.EXIT_WORKER_BOOT_ERROR);
            return null;
        }
    }

    private static List<ServerSocketChannel> openListeners(WorkerContract contract, HeartbeatSlot slot) {
        try {
            List<ServerSocketChannel> channels = new java.util.ArrayList<>();
            for (WorkerContract.Listener listener : contract.listeners()) {
                channels.add(InheritedSockets.open(listener.fd(), listener.family()));
            }
            return channels;
        } catch (ReflectiveOperationException | RuntimeException e) {
            String reason = "cannot use the inherited sockets " + contract.listeners() + ": " + e
                    + " (the worker JVM needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED)";
            return fail(slot, WorkerContract.EXIT_WORKER_BOOT_ERROR, reason, e);
        }
    }

    private static ClassLoader appClassLoader(WorkerContract contract, HeartbeatSlot slot) {
        try {
            return AppLoader.classLoader(contract.appClasspath());
        } catch (AppLoader.AppLoadError e) {
            return fail(slot, WorkerContract.EXIT_APP_LOAD_ERROR, e.getMessage(), e.getCause());
        }
    }

    // The hooks live with the app: same class loader, same exit code when they cannot be loaded.
    private static Hooks loadHooks(ClassLoader appClasses, HeartbeatSlot slot) {
        try {
            return Hooks.load(System.getenv(WorkerContract.HOOKS), appClasses,
                    (hook, e) -> Log.error("Hook " + hook + " failed", e));
        } catch (IllegalArgumentException e) {
            return fail(slot, WorkerContract.EXIT_APP_LOAD_ERROR, e.getMessage(), null);
        }
    }

    private static App loadApp(WorkerContract contract, ClassLoader appClasses, HeartbeatSlot slot) {
        try {
            return AppLoader.load(contract.app(), contract.appClasspath(), appClasses);
        } catch (AppLoader.AppLoadError e) {
            return fail(slot, WorkerContract.EXIT_APP_LOAD_ERROR, e.getMessage(), e.getCause());
        }
    }

    private static <T> T fail(HeartbeatSlot slot, int code, String reason, Throwable cause) {
        slot.writeMessage(reason);
        if (cause != null) Log.error(reason, cause);
        System.exit(code);
        return null;
    }

    private static AccessLog openAccessLog(WorkerContract contract) {
        try {
            return AccessLog.open(contract.accessLog(), contract.accessLogFormat());
        } catch (java.io.IOException e) {
            Log.warning("cannot open the access log " + contract.accessLog() + ": " + e.getMessage());
            return AccessLog.OFF;
        }
    }

    private static void reopenLog() {
        try {
            Log.reopen();
        } catch (java.io.IOException e) {
            System.err.println("jcorn worker: cannot reopen the error log: " + e.getMessage());
        }
        try {
            accessLog.reopen();
        } catch (java.io.IOException e) {
            Log.warning("cannot reopen the access log: " + e.getMessage());
        }
    }

    // TERM: finish the requests in hand, then exit. INT: exit now. USR1: reopen the log file. QUIT keeps its JVM meaning, a
    // thread dump on stderr, which is how the master shows where a hung worker is stuck.
    @SuppressWarnings("removal")
    private static void handleSignals(Worker worker, Runnable workerInt) {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> worker.stop());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
            workerInt.run();
            Runtime.getRuntime().halt(0);
        });
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> reopenLog());
    }
}
