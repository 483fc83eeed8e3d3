package io.jcorn.master;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The part of glibc the master calls, through a small jnr-ffi binding: {@code posix_spawnp} above
 * all (a JVM cannot fork, and a spawned child keeps exactly the descriptors its file actions give it).
 *
 * <p>The binding is jcorn's own rather than jnr-posix's wrapper, which leaks every open descriptor
 * of the master into the child and cannot reset signal handling. Here a child gets 0, 1, 2 and the
 * passed descriptors (everything above is closed with {@code closefrom}), an empty signal mask,
 * and every signal at its default action.
 */
final class Libc {
    /** The functions bound. */
    public interface Functions {
        int posix_spawnp(@Out IntByReference pid, @In CharSequence file, Pointer fileActions, Pointer attr,
                         @In CharSequence[] argv, @In CharSequence[] envp);
        int posix_spawn_file_actions_init(Pointer fileActions);
        int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);
        int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);
        int posix_spawn_file_actions_addchdir_np(Pointer fileActions, @In CharSequence path);
        int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, @In CharSequence path, int flags, int mode);
        int posix_spawn_file_actions_destroy(Pointer fileActions);
        int posix_spawnattr_init(Pointer attr);
        int posix_spawnattr_setflags(Pointer attr, short flags);
        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
        int posix_spawnattr_destroy(Pointer attr);
        int sigemptyset(Pointer set);
        int sigfillset(Pointer set);
        int memfd_create(@In CharSequence name, int flags);
        int close(int fd);
        Pointer signal(int signum, Pointer handler);
        int getsockopt(int fd, int level, int name, Pointer value, IntByReference length);
        int umask(int mask);
        int pipe2(@Out int[] fds, int flags);
        int waitid(int idType, int id, Pointer info, int options);
    }

    private static final int SOL_SOCKET = 1, SO_DOMAIN = 39;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDWR = 2, O_CLOEXEC = 0x80000;
    private static final int P_ALL = 0, WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    // siginfo_t is 128 bytes; si_pid is the int at offset 16 on 64-bit Linux (x86_64, aarch64).
    private static final int SIGINFO_SIZE = 128, SI_PID = 16;
    // glibc x86_64: file actions 80 B, spawnattr 336 B, sigset_t 128 B; allocate with room to spare.
    private static final int FILE_ACTIONS_SIZE = 256, SPAWNATTR_SIZE = 1024, SIGSET_SIZE = 256;

    private final Functions libc;
    private final Runtime runtime;
    private final Pointer siginfo;

    Libc() {
        libc = LibraryLoader.create(Functions.class).load("c");
        runtime = Runtime.getRuntime(libc);
        siginfo = Memory.allocateDirect(runtime, SIGINFO_SIZE);
    }

    /**
     * Starts {@code argv} with {@code env}; {@code fds[i]} of the master becomes descriptor
     * {@code firstFd + i} of the child.
     *
     * @return the child's pid
     */
    long spawn(List<String> argv, Map<String, String> env, int[] fds, int firstFd) throws IOException {
        return spawn(argv, env, fds, firstFd, null);
    }

    /** As {@link #spawn(List, Map, int[], int)}, with the child starting in {@code dir} (null: ours). */
    long spawn(List<String> argv, Map<String, String> env, int[] fds, int firstFd, String dir) throws IOException {
        return spawn(argv, env, fds, firstFd, dir, Stdio.INHERITED);
    }

    /**
     * The child's descriptors 0, 1 and 2: each the master's descriptor of that number
     * ({@link #INHERIT}), /dev/null ({@link #DEV_NULL}) or a descriptor of the master's; and
     * whether the child leads a new session (setsid), away from the master's terminal and group.
     */
    record Stdio(int in, int out, int err, boolean newSession) {
        static final int INHERIT = -1, DEV_NULL = -2;
        static final Stdio INHERITED = new Stdio(INHERIT, INHERIT, INHERIT, false);
    }

    /** As {@link #spawn(List, Map, int[], int, String)}, with the child's stdio as {@code stdio} says. */
    long spawn(List<String> argv, Map<String, String> env, int[] fds, int firstFd, String dir, Stdio stdio)
            throws IOException {
        Pointer actions = Memory.allocateDirect(runtime, FILE_ACTIONS_SIZE);
        Pointer attr = Memory.allocateDirect(runtime, SPAWNATTR_SIZE);
        check("posix_spawn_file_actions_init", libc.posix_spawn_file_actions_init(actions));
        check("posix_spawnattr_init", libc.posix_spawnattr_init(attr));
        try {
            placeStdio(actions, stdio);
            placeDescriptors(actions, fds, firstFd);
            if (dir != null) check("addchdir_np " + dir, libc.posix_spawn_file_actions_addchdir_np(actions, dir));
            resetSignals(attr, stdio.newSession());
            IntByReference pid = new IntByReference();
            String[] envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            check("posix_spawnp " + argv.getFirst(),
                    libc.posix_spawnp(pid, argv.getFirst(), actions, attr, argv.toArray(String[]::new), envp));
            return pid.getValue();
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            libc.posix_spawnattr_destroy(attr);
        }
    }

    // Two steps, through descriptors above every source and target, so that placing one
    // descriptor never overwrites another that is still to be placed.
    private void placeDescriptors(Pointer actions, int[] fds, int firstFd) throws IOException {
        int scratch = firstFd + fds.length;
        for (int fd : fds) scratch = Math.max(scratch, fd + 1);
        for (int i = 0; i < fds.length; i++) {
            check("adddup2", libc.posix_spawn_file_actions_adddup2(actions, fds[i], scratch + i));
        }
        for (int i = 0; i < fds.length; i++) {
            check("adddup2", libc.posix_spawn_file_actions_adddup2(actions, scratch + i, firstFd + i));
        }
        check("addclosefrom_np", libc.posix_spawn_file_actions_addclosefrom_np(actions, firstFd + fds.length));
    }

    // Before the other descriptors are placed: the sources are still the master's own then.
    private void placeStdio(Pointer actions, Stdio stdio) throws IOException {
        int[] sources = {stdio.in(), stdio.out(), stdio.err()};
        for (int fd = 0; fd < 3; fd++) {
            if (sources[fd] == Stdio.DEV_NULL) {
                check("addopen /dev/null", libc.posix_spawn_file_actions_addopen(actions, fd, "/dev/null", O_RDWR, 0));
            } else if (sources[fd] >= 0) {
                check("adddup2", libc.posix_spawn_file_actions_adddup2(actions, sources[fd], fd));
            }
        }
    }

    private void resetSignals(Pointer attr, boolean newSession) throws IOException {
        Pointer empty = Memory.allocateDirect(runtime, SIGSET_SIZE);
        Pointer all = Memory.allocateDirect(runtime, SIGSET_SIZE);
        libc.sigemptyset(empty);
        libc.sigfillset(all);
        check("setsigmask", libc.posix_spawnattr_setsigmask(attr, empty));
        check("setsigdefault", libc.posix_spawnattr_setsigdefault(attr, all));
        short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (newSession ? POSIX_SPAWN_SETSID : 0));
        check("setflags", libc.posix_spawnattr_setflags(attr, flags));
    }

    /** A new anonymous memory file (for a heartbeat slot); the caller closes it. */
    int memfd(String name) throws IOException {
        int fd = libc.memfd_create(name, 0);
        if (fd < 0) throw new IOException("memfd_create failed: errno " + runtime.getLastError());
        return fd;
    }

    /** A pipe, {read, write}, both close-on-exec (a spawned child gets only what it is given). */
    int[] pipe() throws IOException {
        int[] fds = new int[2];
        if (libc.pipe2(fds, O_CLOEXEC) != 0) throw new IOException("pipe2 failed: errno " + runtime.getLastError());
        return fds;
    }

    /**
     * The pid of a child that has exited, without reaping it ({@code waitid} with {@code WNOWAIT}:
     * its exit status stays for whoever waits for it); 0 when no child has exited.
     */
    synchronized int exitedChild() {
        siginfo.putInt(SI_PID, 0);
        // fails only with ECHILD (no children at all): then none has exited either
        if (libc.waitid(P_ALL, 0, siginfo, WEXITED | WNOHANG | WNOWAIT) != 0) return 0;
        return siginfo.getInt(SI_PID);
    }

    void close(int fd) {
        libc.close(fd);
    }

    /** Sets the file mode creation mask of the master, which its workers inherit. */
    void umask(int mask) {
        libc.umask(mask);
    }

    /** The address family of the socket at {@code fd} (AF_INET 2, AF_INET6 10, AF_UNIX 1), from SO_DOMAIN. */
    int socketDomain(int fd) throws IOException {
        Pointer value = Memory.allocateDirect(runtime, 4);
        IntByReference length = new IntByReference(4);
        if (libc.getsockopt(fd, SOL_SOCKET, SO_DOMAIN, value, length) != 0) {
            throw new IOException("descriptor " + fd + " is not a socket (errno " + runtime.getLastError() + ")");
        }
        return value.getInt(0);
    }

    /**
     * Puts a signal back to its default action. A JVM started with a signal ignored (nohup, a
     * shell's {@code &}) keeps it ignored and silently refuses a handler for it.
     */
    void resetToDefault(int signum) {
        libc.signal(signum, null);
    }

    private static void check(String call, int result) throws IOException {
        if (result != 0) throw new IOException(call + " failed: errno " + result);
    }
}
