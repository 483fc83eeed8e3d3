package io.jcorn.master;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Strangers (children nobody waits for, as a PID 1 master gets) are reaped; the JDK's children,
 * started while strangers are being reaped on another thread, keep their exit codes.
 */
class ChildrenTest {
    private final Libc libc = new Libc();
    private final POSIX posix = POSIXFactory.getNativePOSIX();
    private final Children children = new Children(libc, posix);

    @Test
    void aBurstOfStrangersIsReapedAndTheJdksChildrenKeepTheirExitCodes() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread reaping = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                children.reapStrangers(pid -> false);
                Thread.yield();
            }
        });
        List<Long> strangers = new ArrayList<>();
        List<Process> theJdks = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                strangers.add(stranger(3 + i % 2));
                // exits at once: the race between its start and the recording of its pid
                if (i % 4 == 0) theJdks.add(Children.start(new ProcessBuilder("sh", "-c", "exit 7")));
            }
            for (Process process : theJdks) assertEquals(7, process.waitFor(), "the JDK reaped its child, not the master");
            awaitGone(strangers);
        } finally {
            done.set(true);
            reaping.join();
        }
    }

    @Test
    void aWorkersExitIsLeftToTheArbiter() throws Exception {
        long worker = stranger(3);
        long stranger = stranger(4);
        awaitZombie(worker);
        awaitZombie(stranger);
        for (int i = 0; i < 3; i++) children.reapStrangers(pid -> pid == worker);
        int[] status = new int[1];
        assertEquals(worker, posix.waitpid(worker, status, 0), "the worker is still there to reap");
        assertEquals(3, ExitStatus.fromWaitStatus(status[0]).code());
        children.reapStrangers(pid -> false);
        awaitGone(List.of(stranger));
    }

    private long stranger(int exitCode) throws Exception {
        return libc.spawn(List.of("sh", "-c", "exit " + exitCode), Map.of("PATH", System.getenv("PATH")), new int[0], 3);
    }

    private static void awaitZombie(long pid) throws Exception {
        for (int i = 0; i < 500 && state(pid) != 'Z'; i++) Thread.sleep(10);
        assertEquals('Z', state(pid), "pid " + pid + " has exited");
    }

    private static void awaitGone(List<Long> pids) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (pids.stream().allMatch(pid -> state(pid) == 0)) return;
            Thread.sleep(10);
        }
        fail("not reaped: " + pids.stream().filter(pid -> state(pid) != 0).toList());
    }

    /** The state letter of our child {@code pid} in /proc, 0 when it is gone (or not ours any more). */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]) == ProcessHandle.current().pid() ? fields[0].charAt(0) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
