package io.jcorn.master;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What reaping costs the master per tick, beside what it cost before strangers were reaped: the
 * per-worker {@code waitpid(pid, WNOHANG)} round, the {@code waitid(WNOWAIT)} peek for strangers,
 * and a /proc scan of the children as the alternative, with live children that have not exited;
 * then one round that reaps a burst of
 * exited strangers. Run from bench/RESULTS.md's command; prints its figures.
 */
final class ReapingCost {
    private static final int WORKERS = 4, ROUNDS = 200_000, BURST = 500;

    public static void main(String[] args) throws Exception {
        Libc libc = new Libc();
        POSIX posix = POSIXFactory.getNativePOSIX();
        Children children = new Children(libc, posix);
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"));
        List<Long> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) workers.add(libc.spawn(List.of("sleep", "60"), env, new int[0], 3));
        for (int round = 0; round < 3; round++) {
            long perWorker = time(() -> {
                int[] status = new int[1];
                for (long pid : workers) posix.waitpid(pid, status, 1);
            });
            long peek = time(() -> children.reapStrangers(workers::contains));
            long scan = time(() -> ProcessHandle.current().children().count(), ROUNDS / 100);
            System.out.printf("round %d: waitpid of %d workers %d ns per tick; stranger peek %d ns per tick; "
                    + "/proc scan of the children %d ns (%d processes)%n",
                    round, WORKERS, perWorker, peek, scan, ProcessHandle.allProcesses().count());
        }
        for (long pid : workers) posix.kill((int) pid, 9);
        for (long pid : workers) posix.waitpid(pid, new int[1], 0);

        List<Long> strangers = new ArrayList<>();
        for (int i = 0; i < BURST; i++) strangers.add(libc.spawn(List.of("true"), env, new int[0], 3));
        while (strangers.stream().anyMatch(pid -> ChildrenTest.state(pid) != 'Z')) Thread.sleep(10);
        long started = System.nanoTime();
        children.reapStrangers(pid -> false);
        long took = System.nanoTime() - started;
        long left = strangers.stream().filter(pid -> ChildrenTest.state(pid) != 0).count();
        System.out.printf("a burst of %d exited strangers: reaped in one round of %.2f ms (%d ns each), %d left%n",
                BURST, took / 1e6, took / BURST, left);
    }

    private static long time(Runnable tick) {
        return time(tick, ROUNDS);
    }

    private static long time(Runnable tick, int rounds) {
        for (int i = 0; i < rounds / 10; i++) tick.run();
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) tick.run();
        return (System.nanoTime() - started) / rounds;
    }
}
