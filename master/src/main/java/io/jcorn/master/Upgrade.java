package io.jcorn.master;

import jnr.posix.POSIX;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * USR2, Gunicorn's in-place upgrade: the master starts the current {@code bin/jcorn} (so new jcorn
 * jars) as a new master that inherits the listening sockets, named in {@code JCORN_FDS}. Both
 * serve until the operator sends WINCH and then TERM to the old one; the new one then takes over
 * the pidfile. A new master that fails leaves the old one serving.
 *
 * <p>One instance per master keeps both sides of it: the new master this one started, and the
 * old master that started this one.
 */
final class Upgrade {
    /** Descriptors of inherited listening sockets, for a master started by an upgrade. */
    static final String FDS = "JCORN_FDS";
    /** The old master's pid, for a master started by an upgrade. */
    static final String FROM = "JCORN_UPGRADE_FROM";
    private static final List<String> NOT_INHERITED = List.of(FDS, FROM, "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            Daemon.READY_FD);
    private static final int WNOHANG = 1;
    private static final Logger log = LoggerFactory.getLogger(Upgrade.class);

    /** The old master's pid if this master was started by an upgrade, else 0. */
    final long upgradedFrom;
    private final long pid;
    private long oldMaster;
    private long newMaster;

    Upgrade(Map<String, String> env, long pid) {
        this.upgradedFrom = oldMaster(env);
        this.oldMaster = upgradedFrom;
        this.pid = pid;
    }

    /** USR2: starts the new master on the same sockets; this one serves on. */
    void start(Libc libc, Listeners listeners, Config config) {
        if (newMaster != 0) {
            log.warn("An upgrade is already running (new master pid:{}); ignored", newMaster);
            return;
        }
        if (pid == 1) {
            // the old master's exit would end the new one: the kernel kills a pid namespace with its init
            log.warn("Upgrade refused: this master is PID 1 (a container's entrypoint), and when it exits every process "
                    + "in its namespace goes with it; start a new container instead");
            return;
        }
        try {
            newMaster = startNewMaster(libc, listeners, config);
            log.info("Upgrading: started a new master with pid {}; send this one WINCH, then TERM, once it serves",
                    newMaster);
        } catch (IOException e) {
            log.error("Upgrade failed, this master serves on: {}", e.getMessage());
        }
    }

    private long startNewMaster(Libc libc, Listeners listeners, Config config) throws IOException {
        String launcher = System.getProperty("jcorn.launcher");
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            throw new IOException("bin/jcorn is not at " + launcher);
        }
        List<String> argv = new ArrayList<>(List.of(launcher));
        argv.addAll(config.argv());
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeAll(NOT_INHERITED);
        List<String> fds = new ArrayList<>();
        for (int i = 0; i < listeners.fds().length; i++) fds.add(Integer.toString(SocketActivation.FIRST_FD + i));
        env.put(FDS, String.join(",", fds));
        env.put(FROM, Long.toString(pid));
        return libc.spawn(argv, env, listeners.fds(), SocketActivation.FIRST_FD);
    }

    /** Reaps the new master if it exited: the upgrade failed and this master serves on. */
    void reapNewMaster(POSIX posix) {
        int[] status = new int[1];
        if (newMaster != 0 && posix.waitpid(newMaster, status, WNOHANG) == newMaster) {
            log.error("The new master (pid:{}) exited ({}); this master serves on", newMaster,
                    ExitStatus.fromWaitStatus(status[0]));
            newMaster = 0;
        }
    }

    /** True if {@code pid} is the new master this one started (this one reaps it). */
    boolean isNewMaster(long pid) {
        return newMaster != 0 && pid == newMaster;
    }

    /** True once, when the old master that started this one is gone: this master takes over. */
    boolean oldMasterLeft() {
        if (oldMaster == 0 || alive(oldMaster)) return false;
        log.info("The old master (pid:{}) is gone; this master takes over", oldMaster);
        oldMaster = 0;
        return true;
    }

    /** True while the new master this one started runs. */
    boolean newMasterRuns() {
        return newMaster != 0 && alive(newMaster);
    }

    /** True while another master (new or old) serves on the same sockets. */
    boolean anotherMasterRuns() {
        return newMasterRuns() || (oldMaster != 0 && alive(oldMaster));
    }

    private static long oldMaster(Map<String, String> env) {
        try {
            return Long.parseLong(env.getOrDefault(FROM, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** True while {@code pid} runs (a zombie has exited). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
