package io.jcorn.master.reload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real files written under a running watcher, and the batches it reports. */
class ChangeWatcherTest {
    /** Long enough that a busy machine does not split one burst of writes in two. */
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final Duration POLL = Duration.ofMillis(1500);
    private static final long BOUND_SECONDS = 30;

    @TempDir
    Path dir;

    private final LinkedBlockingQueue<List<Path>> batches = new LinkedBlockingQueue<>();
    private final List<ChangeWatcher> watchers = new ArrayList<>();

    @AfterEach
    void stop() {
        watchers.forEach(ChangeWatcher::close);
    }

    private ChangeWatcher watch(String classpath, List<String> extra, boolean useEvents) {
        ChangeWatcher watcher = ChangeWatcher.start(ReloadPaths.of(classpath, dir, extra), QUIET, POLL, useEvents, batches::add);
        watchers.add(watcher);
        return watcher;
    }

    private Path write(String name, String content) throws Exception {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }

    private List<Path> nextBatch() throws InterruptedException {
        List<Path> batch = batches.poll(BOUND_SECONDS, TimeUnit.SECONDS);
        assertNotNull(batch, "no batch reported");
        return batch;
    }

    /** After a batch: nothing more comes in a few quiet intervals (the burst was one batch). */
    private void noFurtherBatch() throws InterruptedException {
        assertNull(batches.poll(QUIET.toMillis() * 4, TimeUnit.MILLISECONDS), "a second batch");
    }

    /** Lets the watcher take its first scan before the test writes. */
    private void settle() throws InterruptedException {
        Thread.sleep(300);
    }

    @Test
    void aBuildWritingManyClassesIsOneBatch() throws Exception {
        write("classes/Old.class", "old");
        ChangeWatcher watcher = watch("classes", List.of(), true);
        assertTrue(watcher.usesEvents(), "Linux has inotify");
        settle();
        Set<Path> written = new HashSet<>();
        for (int i = 0; i < 300; i++) written.add(write("classes/pkg" + (i % 7) + "/C" + i + ".class", "class " + i));
        written.add(write("classes/Old.class", "rebuilt"));
        assertEquals(written, new HashSet<>(nextBatch()));
        noFurtherBatch();
    }

    @Test
    void pollingAloneFindsChangesToo() throws Exception {
        Path jar = write("lib/app.jar", "v1");
        ChangeWatcher watcher = watch("lib/*", List.of(), false);
        assertTrue(!watcher.usesEvents());
        settle();
        Files.writeString(jar, "v2, longer");
        assertEquals(List.of(jar), nextBatch());
    }

    @Test
    void aJarReplacedByARenameIsReported() throws Exception {
        Path jar = write("app.jar", "v1");
        watch("app.jar", List.of(), true);
        settle();
        Path tmp = write("app.jar.tmp", "v2");
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(List.of(jar), nextBatch());
    }

    @Test
    void aJarAddedToAJarDirectoryIsReported() throws Exception {
        write("lib/a.jar", "a");
        watch("lib/*", List.of(), true);
        settle();
        write("lib/notes.txt", "not a jar");
        Path added = write("lib/b.jar", "b");
        assertEquals(List.of(added), nextBatch());
    }

    @Test
    void aClassInADirectoryCreatedAfterStartIsReported() throws Exception {
        write("classes/A.class", "a");
        watch("classes", List.of(), true);
        settle();
        Path deep = write("classes/new/deeper/B.class", "b");
        assertEquals(List.of(deep), nextBatch());
        Files.delete(deep);
        assertEquals(List.of(deep), nextBatch());
    }

    @Test
    void aClasspathDirectoryThatAppearsLaterIsWatched() throws Exception {
        watch("target/classes", List.of(), true);
        settle();
        Path created = write("target/classes/App.class", "app");
        assertEquals(List.of(created), nextBatch());
    }

    @Test
    void extraFilesAndPatternsReExpandedOnEachScan() throws Exception {
        Path config = write("config.yaml", "a: 1");
        watch("", List.of("config.yaml", "ui/*/config.json"), true);
        settle();
        Files.writeString(config, "a: 2, changed");
        assertEquals(List.of(config), nextBatch());
        Path view = write("ui/new-view/config.json", "{}");
        assertEquals(List.of(view), nextBatch());
    }

    @Test
    void nothingIsReportedAfterClose() throws Exception {
        Path file = write("classes/A.class", "a");
        ChangeWatcher watcher = watch("classes", List.of(), true);
        settle();
        watcher.close();
        Files.writeString(file, "changed after close");
        assertNull(batches.poll(QUIET.toMillis() * 3, TimeUnit.MILLISECONDS));
    }
}
