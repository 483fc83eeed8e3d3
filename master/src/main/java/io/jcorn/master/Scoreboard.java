package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;
import io.jcorn.protocol.WorkerScore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The master's live table of its workers, for the control socket and the metrics: the arbiter
 * publishes who the workers are on every tick, and readers on other threads read the workers'
 * own scores from their heartbeat slots, without locks and without touching the arbiter's state.
 *
 * <p>Counts of workers that have exited are kept, so totals never go down.
 */
final class Scoreboard {
    /** One worker as the arbiter last saw it. {@code fate}: booting, serving, stopping or timed out. */
    record Seat(long pid, int number, int generation, long spawnedAt, HeartbeatSlot slot, String fate) {}

    /** One worker as a reader sees it now. */
    record Row(Seat seat, String state, WorkerScore.Current current, WorkerScore.Totals totals, long ageNanos,
               long silentNanos, long residentBytes) {}

    /** Everything at one moment: live rows, totals over every worker ever, exits by cause. */
    record View(long masterPid, long uptimeNanos, int target, int generation, List<Row> rows,
                WorkerScore.Totals totals, Map<String, Long> exits) {
        long inFlight() {
            return rows.stream().filter(row -> row.current() != null).count();
        }
    }

    /** The answer to {@code /healthz}: {@code ok} while some worker serves and the master is not stopping. */
    record Health(boolean ok, String text) {}

    /**
     * The loop turns at least once a second; training an AOT cache for a HUP's new worker flags is
     * the longest thing it does on purpose (seconds), so only a much longer silence means it hangs.
     */
    static final long LOOP_STALLED_SECONDS = 60;

    private final long masterPid = ProcessHandle.current().pid();
    private final long startedAt = System.nanoTime();
    private List<Seat> seats = List.of();
    private int target;
    private int generation;
    private Config config;
    private WorkerScore.Totals exited = WorkerScore.Totals.NONE;
    private final Map<String, Long> exits = new TreeMap<>();
    private volatile boolean stopping;
    /** When the arbiter's loop last published: a loop that stopped turning (a hook that hangs, a deadlock) fails the probe. */
    private final java.util.function.LongSupplier clock;
    private volatile long publishedAt;

    Scoreboard() {
        this(System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    Scoreboard(java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.publishedAt = clock.getAsLong();
    }

    /** The arbiter's tick: who the workers are now, under which settings (a HUP may have changed them). */
    synchronized void publish(Config config, Collection<WorkerProcess> workers, int target, int generation) {
        this.config = config;
        List<Seat> now = new ArrayList<>(workers.size());
        for (WorkerProcess w : workers) now.add(new Seat(w.pid, w.number, w.generation, w.spawnedAt, w.slot, fate(w)));
        seats = now;
        this.target = target;
        this.generation = generation;
        publishedAt = clock.getAsLong();
    }

    private static String fate(WorkerProcess worker) {
        return switch (worker.fate()) {
            case SERVING -> worker.booted() ? "serving" : "booting";
            case STOPPING -> "stopping";
            case TIMED_OUT -> "timed out";
        };
    }

    /** A worker is gone: its counts move to the totals of exited workers, its exit is counted by cause. */
    synchronized void exited(WorkerProcess worker, String cause) {
        List<Seat> now = new ArrayList<>(seats);
        now.removeIf(seat -> seat.pid() == worker.pid);
        seats = now;
        exited = exited.plus(worker.slot.score().totals());
        exits.merge(cause, 1L, Long::sum);
    }

    /** The master stops: from now on no request sent to this server is sure to be served. */
    void stopping() {
        stopping = true;
    }

    /**
     * Whether a request sent now would be served: a worker that has booted and is not being stopped
     * accepts it. Workers that boot, stop or hang past --timeout do not count.
     */
    Health health() {
        List<Seat> seen;
        int target;
        synchronized (this) {
            seen = seats;
            target = this.target;
        }
        if (stopping) return new Health(false, "unavailable: the master is stopping");
        long silent = TimeUnit.NANOSECONDS.toSeconds(clock.getAsLong() - publishedAt);
        if (silent > LOOP_STALLED_SECONDS) return new Health(false, "unavailable: the master's loop has not run for " + silent + " s");
        Map<String, Integer> byFate = new TreeMap<>();
        for (Seat seat : seen) byFate.merge(seat.fate(), 1, Integer::sum);
        int serving = byFate.getOrDefault("serving", 0);
        if (serving > 0) return new Health(true, "ok: " + serving + " of " + target + " workers serving");
        List<String> others = byFate.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList();
        return new Health(false, "unavailable: no worker serves" + (others.isEmpty() ? "" : " (" + String.join(", ", others) + ")"));
    }

    synchronized Config config() {
        return config;
    }

    View view() {
        List<Seat> seen;
        WorkerScore.Totals total;
        Map<String, Long> exitCounts;
        int target, generation;
        synchronized (this) {
            seen = seats;
            total = exited;
            exitCounts = new LinkedHashMap<>(exits);
            target = this.target;
            generation = this.generation;
        }
        long now = System.nanoTime();
        List<Row> rows = new ArrayList<>(seen.size());
        for (Seat seat : seen) {
            Row row = row(seat, now);
            rows.add(row);
            total = total.plus(row.totals());
        }
        return new View(masterPid, now - startedAt, target, generation, rows, total, exitCounts);
    }

    private static Row row(Seat seat, long now) {
        HeartbeatSlot slot = seat.slot();
        boolean busy = slot.state() == HeartbeatSlot.BUSY;
        // A request that ended early (a 400 before the app) leaves its text behind; the beat says it is over.
        WorkerScore.Current current = busy ? slot.score().current() : null;
        String state = !seat.fate().equals("serving") ? seat.fate() : busy ? "busy" : "idle";
        long beat = slot.lastBeat();
        return new Row(seat, state, current, slot.score().totals(), now - seat.spawnedAt(),
                beat == 0 ? -1 : now - beat, WorkerProcess.residentBytes(seat.pid()));
    }

    /** The status answer of the control socket: the master, then one entry per worker. */
    static Map<String, Object> status(View view) {
        Map<String, Object> master = new LinkedHashMap<>();
        master.put("pid", view.masterPid());
        master.put("uptime_s", seconds(view.uptimeNanos()));
        master.put("workers_target", view.target());
        master.put("generation", view.generation());
        master.put("requests", view.totals().requests());
        master.put("in_flight", view.inFlight());
        master.put("exits", view.exits());
        List<Object> workers = new ArrayList<>();
        long now = System.nanoTime();
        for (Row row : view.rows()) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("pid", row.seat().pid());
            w.put("number", row.seat().number());
            w.put("generation", row.seat().generation());
            w.put("age_s", seconds(row.ageNanos()));
            w.put("state", row.state());
            w.put("request", row.current() == null ? null : row.current().request());
            w.put("request_s", row.current() == null ? null : seconds(now - row.current().startedAt()));
            w.put("requests", row.totals().requests());
            w.put("rss_bytes", row.residentBytes());
            w.put("last_beat_s", row.silentNanos() < 0 ? null : seconds(row.silentNanos()));
            workers.add(w);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("master", master);
        status.put("workers", workers);
        return status;
    }

    static double seconds(long nanos) {
        return Math.round(nanos / (double) TimeUnit.MILLISECONDS.toNanos(1)) / 1000.0;
    }
}
