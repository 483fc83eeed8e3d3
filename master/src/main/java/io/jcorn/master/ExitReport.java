package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;
import org.slf4j.Logger;

/**
 * Says why a worker exited, telling apart the causes that Gunicorn reports alike: killed by the
 * master after a timeout, stopped on purpose, recycled, killed from outside, or crashed.
 */
final class ExitReport {
    private static final int SIGKILL = 9;

    private ExitReport() {}

    /** Why the worker exited, as a metrics label: timeout, max_requests, crash, or why the master stopped it. */
    static String cause(WorkerProcess worker, ExitStatus status) {
        return switch (worker.fate()) {
            case TIMED_OUT -> "timeout";
            case STOPPING -> worker.stopReason().name().toLowerCase();
            case SERVING -> worker.slot.leaving() == HeartbeatSlot.RECYCLED && status.code() == 0 ? "max_requests" : "crash";
        };
    }

    /** Logs the exit; returns true if it was a crash (neither asked for nor announced). */
    static boolean log(Logger log, WorkerProcess worker, ExitStatus status) {
        switch (worker.fate()) {
            case TIMED_OUT -> log.error("{} was killed by the master after timing out", worker);
            case STOPPING -> log.info("{} {} ({})", worker, worker.stopReason().words, status);
            case SERVING -> {
                if (worker.slot.leaving() == HeartbeatSlot.RECYCLED && status.code() == 0) {
                    log.info("{} recycled after {} requests (--max-requests)", worker, worker.slot.requests());
                    return false;
                }
                if (status.signaled()) {
                    log.error("{} was killed by {} from outside jcorn{}", worker, status.signalName(),
                            status.signal() == SIGKILL ? " (the kernel's OOM killer is a usual suspect)" : "");
                } else {
                    log.error("{} exited unexpectedly with code {}", worker, status.code());
                }
                return true;
            }
        }
        return false;
    }
}
