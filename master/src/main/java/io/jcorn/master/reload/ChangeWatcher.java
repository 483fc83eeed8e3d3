package io.jcorn.master.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code --reload}'s eyes: watches {@link ReloadPaths} and reports the paths that changed, once
 * writes have been quiet for a while, so a build that writes a thousand class files and a jar
 * makes one report, not a thousand.
 *
 * <p>What changed is decided by comparing scans (each file's modification time, size and inode),
 * never by events alone: a file replaced by a rename, a jar rewritten in place and a class in a
 * directory created after start all show in the next scan. The JDK's {@link WatchService}
 * (inotify on Linux; one watch per directory, not recursive) only says when to scan sooner; where
 * it is missing or misses something (network file systems, a directory it could not register), a
 * scan every poll interval still finds it. A report comes after a scan that found nothing new at
 * least the quiet interval after the last change.
 *
 * <p>Differs from Gunicorn, whose workers each watch the modules Python loaded and restart on the
 * first change seen: here the master watches the classpath and extra files, debounced.
 */
public final class ChangeWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeWatcher.class);

    private final ReloadPaths paths;
    private final long quietNanos;
    private final long pollNanos;
    private final Consumer<List<Path>> onChange;
    private final WatchService events;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private ChangeWatcher(ReloadPaths paths, Duration quiet, Duration poll, boolean useEvents, Consumer<List<Path>> onChange) {
        if (poll.compareTo(quiet) < 0) throw new IllegalArgumentException("the poll interval must be at least the quiet interval");
        this.paths = paths;
        this.quietNanos = quiet.toNanos();
        this.pollNanos = poll.toNanos();
        this.onChange = onChange;
        this.events = useEvents ? watchService() : null;
        this.thread = Thread.ofPlatform().daemon().name("jcorn-reload-watch").unstarted(this::run);
    }

    /**
     * Starts watching on a thread of its own; {@code onChange} is called on it, once per quiet
     * batch, with the changed paths (absolute, sorted).
     *
     * @param quiet how long writes must have stopped before a batch is reported
     * @param poll  how often to scan when no event says to (at least {@code quiet})
     */
    public static ChangeWatcher start(ReloadPaths paths, Duration quiet, Duration poll, Consumer<List<Path>> onChange) {
        return start(paths, quiet, poll, true, onChange);
    }

    /** As {@link #start(ReloadPaths, Duration, Duration, Consumer)}; {@code useEvents} false scans on the poll interval alone. */
    static ChangeWatcher start(ReloadPaths paths, Duration quiet, Duration poll, boolean useEvents, Consumer<List<Path>> onChange) {
        ChangeWatcher watcher = new ChangeWatcher(paths, quiet, poll, useEvents, onChange);
        watcher.thread.start();
        return watcher;
    }

    private static WatchService watchService() {
        try {
            return FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            return null; // scans alone then
        }
    }

    /** Whether file system events speed up its scans (else it polls alone). */
    public boolean usesEvents() {
        return events != null;
    }

    private void run() {
        ReloadPaths.Scan last = paths.scan();
        watch(last.directories());
        Set<Path> pending = new TreeSet<>();
        long lastScan = System.nanoTime(), lastChange = 0, lastEvent = 0;
        boolean eventSeen = false;
        while (!closed) {
            long next = lastScan + pollNanos;
            if (eventSeen) next = Math.min(next, lastEvent + quietNanos);
            if (!pending.isEmpty()) next = Math.min(next, lastChange + quietNanos);
            try {
                if (awaitEvents(next - System.nanoTime())) {
                    lastEvent = System.nanoTime();
                    eventSeen = true;
                    continue;
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return; // closed
            }
            ReloadPaths.Scan scan = paths.scan();
            watch(scan.directories());
            Set<Path> changed = scan.changedSince(last);
            last = scan;
            lastScan = System.nanoTime();
            eventSeen = false;
            if (!changed.isEmpty()) {
                pending.addAll(changed);
                lastChange = lastScan;
            } else if (!pending.isEmpty()) {
                report(pending);
                pending = new TreeSet<>();
            }
        }
    }

    private synchronized void report(Set<Path> changed) {
        if (closed) return;
        try {
            onChange.accept(List.copyOf(changed));
        } catch (RuntimeException e) {
            log.error("--reload: handling a change failed; watching on", e);
        }
    }

    /** Waits up to {@code nanos} for file system events; true if some came (all taken). */
    private boolean awaitEvents(long nanos) throws InterruptedException {
        if (nanos <= 0) return false;
        if (events == null) {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return false;
        }
        WatchKey key = events.poll(nanos, TimeUnit.NANOSECONDS);
        if (key == null) return false;
        for (; key != null; key = events.poll()) {
            key.pollEvents();
            key.reset();
        }
        return true;
    }

    /** Registers the directories not watched yet; forgets the ones gone. */
    private void watch(Set<Path> directories) {
        if (events == null) return;
        watched.entrySet().removeIf(e -> {
            if (e.getValue().isValid() && directories.contains(e.getKey())) return false;
            e.getValue().cancel();
            return true;
        });
        List<Path> added = new ArrayList<>(directories);
        added.removeAll(watched.keySet());
        for (Path dir : added) {
            try {
                watched.put(dir, dir.register(events, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
            } catch (IOException | RuntimeException e) {
                // out of inotify watches, or gone: the poll interval's scans cover it
            }
        }
    }

    /** Stops watching: no report starts after this returns. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        thread.interrupt();
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
