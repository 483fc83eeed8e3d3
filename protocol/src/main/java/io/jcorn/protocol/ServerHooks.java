package io.jcorn.protocol;

import java.util.Map;

/**
 * Server hooks, Gunicorn's {@code server hooks} for jcorn: code of yours that jcorn calls at
 * points of its life. Name the implementing class with {@code --hooks pkg.Class}; it is loaded
 * from {@code --classpath} and needs a public no-argument constructor. Every method does nothing
 * unless overridden.
 *
 * <p>jcorn runs two kinds of JVM, and each hook runs in one of them: the <b>master</b> (one JVM,
 * which never serves a request) or a <b>worker</b> (one JVM per worker; hooks there share the
 * app's class loader and its static state). Each JVM creates its own instance. A hook that
 * throws is logged with its stack trace, and the server goes on as if it had returned.
 *
 * <p>Hooks run on jcorn's own threads: the master's hooks on the master loop, which does nothing
 * else meanwhile (a slow hook delays supervision), a worker's request hooks on the request thread.
 * A master's hook that starts a process should wait for it before it returns: the master reaps
 * every child it does not know of (as a container's entrypoint, PID 1, it inherits orphans), and
 * a process whose exit it took reads as exit 0 to its {@link Process}.
 */
public interface ServerHooks {

    // ---- in the master ----

    /** Master: once, before the master binds its sockets. */
    default void onStarting() {}

    /** Master: once, when the first workers serve (later generations do not call it again). */
    default void whenReady() {}

    /** Master: on HUP, before the new workers start. */
    default void onReload() {}

    /**
     * Master: just before a worker JVM is started.
     *
     * @param workerId the number the worker will have, 0..workers-1 ({@code jcorn.worker_id})
     */
    default void preFork(int workerId) {}

    /**
     * Master: after a worker exited, whatever the cause (the master's log says which).
     *
     * @param workerId the worker's number
     * @param pid      its process id
     */
    default void childExit(int workerId, long pid) {}

    /**
     * Master: a worker timed out (silent for {@code --timeout}); it is about to print its thread
     * dump and be killed.
     *
     * @param workerId the worker's number
     * @param pid      its process id
     */
    default void workerAbort(int workerId, long pid) {}

    /**
     * Master: the number of workers asked for changed (TTIN, TTOU, WINCH, a reload).
     *
     * @param newValue the number now
     * @param oldValue the number before
     */
    default void nworkersChanged(int newValue, int oldValue) {}

    /** Master: once, as the master exits (after its workers are gone). */
    default void onExit() {}

    // ---- in each worker ----

    /**
     * Worker: first thing once the worker JVM has started, before the app is loaded.
     *
     * @param workerId this worker's number
     */
    default void postFork(int workerId) {}

    /**
     * Worker: the app is loaded; the worker starts accepting right after.
     *
     * @param workerId this worker's number
     */
    default void postWorkerInit(int workerId) {}

    /**
     * Worker: INT (quick stop) arrived; the worker exits right after.
     *
     * @param workerId this worker's number
     */
    default void workerInt(int workerId) {}

    /**
     * Worker: the worker stopped serving and exits (a graceful stop, a reload, max-requests).
     *
     * @param workerId this worker's number
     */
    default void workerExit(int workerId) {}

    /**
     * Worker: a request was read, the app is about to be called.
     *
     * @param environ the request's environ, which the hook may read and add keys to
     */
    default void preRequest(Map<String, Object> environ) {}

    /**
     * Worker: the app's response was written (or failed).
     *
     * @param environ the request's environ
     * @param status  the status line the app gave, such as {@code "200 OK"}, or null if it gave none
     */
    default void postRequest(Map<String, Object> environ, String status) {}
}
