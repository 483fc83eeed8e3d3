package io.jcorn.master;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --daemon}. A JVM cannot fork, so the command re-starts {@code bin/jcorn} with the same
 * arguments as the master of a new session (setsid, stdio on /dev/null) and waits on Unicorn's
 * ready pipe: the master writes {@code READY} into it once its workers serve, or {@code FAILED}
 * and the reason if it stops before; the command then exits 0, or 1 with the reason.
 */
final class Daemon {
    /** The write end of the ready pipe, in a master started by {@code --daemon}. */
    static final String READY_FD = "JCORN_READY_FD";
    private static final int FD = 3;

    private final OutputStream pipe;
    private boolean told;

    private Daemon(OutputStream pipe) {
        this.pipe = pipe;
    }

    /** True in the command the operator ran with --daemon, which must detach; false in the master it starts. */
    static boolean mustDetach(Config config, Map<String, String> env) {
        // A new master of an upgrade has the --daemon of the old one: it is detached already.
        return config.daemon() && !env.containsKey(READY_FD) && !env.containsKey(Upgrade.FROM);
    }

    /** Starts the detached master and waits until it serves; returns the command's exit code. */
    static int detach(Config config) {
        try {
            Libc libc = new Libc();
            int[] ready = libc.pipe();
            try (InputStream in = new FileInputStream("/proc/self/fd/" + ready[0])) {
                libc.close(ready[0]);
                startMaster(libc, config, ready[1]);
                libc.close(ready[1]); // the master holds the only write end now: its exit ends the read
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                return outcome(line == null ? "" : line);
            }
        } catch (IOException e) {
            System.err.println("jcorn: can't start the daemon: " + e.getMessage());
            return 1;
        }
    }

    private static void startMaster(Libc libc, Config config, int readyFd) throws IOException {
        String launcher = System.getProperty("jcorn.launcher");
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) throw new IOException("bin/jcorn is not at " + launcher);
        List<String> argv = new ArrayList<>(List.of(launcher));
        argv.addAll(config.argv());
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.put(READY_FD, Integer.toString(FD));
        int devNull = Libc.Stdio.DEV_NULL;
        libc.spawn(argv, env, new int[] {readyFd}, FD, null, new Libc.Stdio(devNull, devNull, devNull, true));
    }

    private static int outcome(String message) {
        if (message.startsWith("READY")) return 0;
        System.err.println("jcorn: the daemon did not start: " + (message.startsWith("FAILED ")
                ? message.substring("FAILED ".length()) : "it exited before its workers served (see --error-logfile)"));
        return 1;
    }

    /** The master's end of the ready pipe, if it was started by --daemon; else one that says nothing. */
    static Daemon fromEnvironment(Map<String, String> env, Libc libc) {
        String fd = env.get(READY_FD);
        if (fd == null) return new Daemon(null);
        try {
            // A stream of our own on the pipe; the inherited descriptor goes, so that closing the
            // stream is the end of the pipe for the command.
            Daemon daemon = new Daemon(new FileOutputStream("/proc/self/fd/" + fd));
            libc.close(Integer.parseInt(fd));
            return daemon;
        } catch (IOException | NumberFormatException e) {
            return new Daemon(null);
        }
    }

    /** The workers serve: the command that started this master returns 0. */
    void ready() {
        tell("READY");
    }

    /** The master stops before it served: the command exits 1 with {@code reason}. */
    void failed(String reason) {
        tell("FAILED " + (reason == null ? "the master stopped before its workers served" : reason));
    }

    private void tell(String message) {
        if (pipe == null || told) return;
        told = true;
        try (pipe) {
            pipe.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command is gone (killed): nobody is waiting
        }
    }
}
