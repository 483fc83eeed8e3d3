package io.jcorn.master;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where the workers' stdout and stderr go. With {@code --error-logfile FILE}, their stderr (JVM
 * messages, and the thread dump a hung worker prints on SIGQUIT: workers run with
 * {@code -XX:+DisplayVMOutputToStderr}) goes through a pipe that the master copies into FILE, next
 * to its own {@code WORKER TIMEOUT} line; with {@code --capture-output} their stdout too.
 *
 * <p>A pipe rather than FILE itself as the workers' descriptors 1 and 2: after logrotate moves
 * FILE, USR1 makes the master reopen it, whereas a worker's inherited descriptor would keep
 * writing to the moved file (and a worker JVM cannot dup2 without native code).
 */
final class WorkerOutput {
    private static final int STDERR = 2;

    private String path; // null: no pipe, the workers write to the master's own stderr
    private final Libc.Stdio stdio;
    private FileOutputStream file; // null with a pipe: copied to the master's stderr

    private WorkerOutput(String path, Libc.Stdio stdio) {
        this.path = path;
        this.stdio = stdio;
    }

    static WorkerOutput open(Config config, Libc libc) throws IOException {
        int out = config.captureOutput() ? STDERR : Libc.Stdio.INHERIT;
        if (config.errorLog().equals("-")) return new WorkerOutput(null, new Libc.Stdio(Libc.Stdio.INHERIT, out, Libc.Stdio.INHERIT, false));
        int[] pipe = libc.pipe();
        // A stream of our own on the read end; the descriptor the pipe came with is then closed.
        InputStream in = new FileInputStream("/proc/self/fd/" + pipe[0]);
        libc.close(pipe[0]);
        int write = pipe[1];
        WorkerOutput output = new WorkerOutput(config.errorLog(),
                new Libc.Stdio(Libc.Stdio.INHERIT, config.captureOutput() ? write : Libc.Stdio.INHERIT, write, false));
        output.reopen();
        Thread.ofPlatform().daemon().name("jcorn-worker-output").start(() -> output.copy(in));
        return output;
    }

    /** The workers' descriptors 0, 1 and 2. */
    Libc.Stdio stdio() {
        return stdio;
    }

    /**
     * HUP: the output of workers started from now on goes to a changed {@code --error-logfile};
     * returns this, or a new output with a pipe if this one had none.
     */
    WorkerOutput follow(Config config, Libc libc) throws IOException {
        if (path == null) return config.errorLog().equals("-") ? this : open(config, libc);
        synchronized (this) {
            path = config.errorLog();
        }
        reopen();
        return this;
    }

    /** USR1: lets go of a rotated log file and appends to a new one. */
    synchronized void reopen() throws IOException {
        if (path == null) return;
        FileOutputStream old = file;
        file = path.equals("-") ? null : new FileOutputStream(path, true);
        if (old != null) old.close();
    }

    // The write end stays open in the master (each new worker gets it), so this never sees the end.
    private void copy(InputStream in) {
        byte[] buffer = new byte[16384];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) write(buffer, n);
        } catch (IOException e) {
            System.err.println("jcorn: the workers' output can no longer be read: " + e.getMessage());
        }
    }

    private synchronized void write(byte[] buffer, int length) {
        try {
            if (file == null) System.err.write(buffer, 0, length);
            else file.write(buffer, 0, length);
        } catch (IOException e) {
            System.err.write(buffer, 0, length);
        }
    }
}
