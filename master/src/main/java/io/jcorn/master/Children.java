package io.jcorn.master;

import jnr.posix.POSIX;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The master's children besides its workers, and who reaps each. The JDK reaps what the master
 * starts with {@link #start} (the AOT cache's training run, the app check): a thread of its own
 * waits for each such pid. Strangers have no one else: when the master is PID 1 (a container's
 * entrypoint, {@code unshare --pid}), every orphan in its pid namespace (the background process
 * an app's {@code sh -c} leaves behind) becomes its child, and stays a zombie until the master
 * reaps it, as Gunicorn does.
 *
 * <p>A stranger is found with {@code waitid(WNOWAIT)}, which shows an exited child without reaping
 * it, so no exit is taken from whoever waits for it: a worker's goes to the arbiter, a JDK child's
 * to the JDK (a {@code waitpid(-1)} would steal them). A stranger's exit code is logged and means
 * nothing else: a stranger that exits with 3 or 4 is not a worker that failed to boot.
 *
 * <p>A process started with {@link ProcessBuilder} elsewhere in the master (a server hook's) would
 * be taken for a stranger if it exited unwaited-for: its {@code Process} would then report exit 0.
 */
final class Children {
    private static final Logger log = LoggerFactory.getLogger(Children.class);
    private static final int WNOHANG = 1;
    // The JDK's children still running. Guarded by the class lock, which start() holds until the pid
    // is recorded: a child that exits at once is never seen unrecorded.
    private static final Set<Long> reapedByTheJdk = new HashSet<>();

    private final Libc libc;
    private final POSIX posix;

    Children(Libc libc, POSIX posix) {
        this.libc = libc;
        this.posix = posix;
    }

    /** Starts a child the JDK reaps: every {@link ProcessBuilder} of the master starts here. */
    static Process start(ProcessBuilder builder) throws IOException {
        synchronized (Children.class) {
            Process process = builder.start();
            long pid = process.pid();
            reapedByTheJdk.add(pid);
            process.onExit().thenRun(() -> forget(pid));
            return process;
        }
    }

    private static synchronized void forget(long pid) {
        reapedByTheJdk.remove(pid);
    }

    /**
     * Reaps every exited child that is neither the JDK's nor {@code owned} (a worker, a new master);
     * stops at the first that is: its owner reaps it, and those behind it wait for the next round.
     */
    void reapStrangers(LongPredicate owned) {
        synchronized (Children.class) {
            for (int pid; (pid = libc.exitedChild()) > 0; ) {
                if (owned.test(pid) || reapedByTheJdk.contains((long) pid)) return;
                int[] status = new int[1];
                if (posix.waitpid(pid, status, WNOHANG) != pid) return;
                log.debug("Reaped pid {}, not a worker ({})", pid, ExitStatus.fromWaitStatus(status[0]));
            }
        }
    }
}
