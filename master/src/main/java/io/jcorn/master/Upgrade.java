package io.jcorn.master;

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
 */
final class Upgrade {
    /** Descriptors of inherited listening sockets, for a master started by an upgrade. */
    static final String FDS = "JCORN_FDS";
    /** The old master's pid, for a master started by an upgrade. */
    static final String FROM = "JCORN_UPGRADE_FROM";
    private static final List<String> NOT_INHERITED = List.of(FDS, FROM, "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES");

    private Upgrade() {}

    /** Starts the new master; returns its pid. */
    static long startNewMaster(Libc libc, Listeners listeners, Config config, long pid) throws IOException {
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

    /** The old master's pid if this master was started by an upgrade, else 0. */
    static long oldMaster(Map<String, String> env) {
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
