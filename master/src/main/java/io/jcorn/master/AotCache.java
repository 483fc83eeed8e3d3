package io.jcorn.master;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The workers' ahead-of-time cache (JDK 25's {@code -XX:AOTCache}): the classes a worker loads and
 * links at start-up, recorded once by a training run and then mapped read-only by every worker.
 * It is the JVM's answer to Gunicorn's {@code --preload}: workers boot faster and share those pages.
 *
 * <p>The cache is keyed by everything it depends on (the JDK, the worker's jars, the JVM flags), so
 * an upgraded JDK or jcorn trains a new one; it lives under {@code $XDG_CACHE_HOME/jcorn} (or
 * {@code ~/.cache/jcorn}; {@code /var/cache/jcorn} when workers run as another user). Without it (an older JDK, a failed training run) workers start as usual.
 */
final class AotCache {
    private static final Logger log = LoggerFactory.getLogger(AotCache.class);
    private static final int FIRST_JDK = 25;
    private static final long TRAINING_SECONDS = 60;
    private static final int CACHES_KEPT = 4;

    private AotCache() {}

    /** The JVM flags that make a worker use the cache, training it first if needed; none if it can't. */
    static List<String> workerFlags(String java, List<String> flags, String workerClasspath, boolean otherUser) {
        if (Runtime.version().feature() < FIRST_JDK) return List.of();
        try {
            Path cache = ready(java, flags, workerClasspath, otherUser);
            return List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off");
        } catch (IOException e) {
            log.warn("Workers start without an AOT cache: {}", e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * {@code --train-aot-cache}: trains the cache the workers of {@code config} will map, as the
     * master would at its start, and says where it is; for an image build, so that the first
     * worker of every container boots from it. Returns the exit code.
     */
    static int trainFor(Config config) {
        if (Runtime.version().feature() < FIRST_JDK) {
            System.out.println("jcorn: Java " + Runtime.version().feature() + " has no AOT cache (JDK " + FIRST_JDK
                    + " and later); nothing to train");
            return 0;
        }
        try {
            Path cache = ready(Spawner.JAVA, Spawner.jvmFlags(config), config.workerClasspath(),
                    config.workerUid() >= 0 || config.workerGid() >= 0);
            System.out.println("jcorn: the workers' AOT cache is ready: " + cache);
            return 0;
        } catch (IOException e) {
            System.err.println("jcorn: can't train the workers' AOT cache: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    private static Path ready(String java, List<String> flags, String workerClasspath, boolean otherUser)
            throws IOException, InterruptedException {
        Path cache = location(java, flags, workerClasspath, otherUser);
        if (!Files.isRegularFile(cache)) train(java, flags, workerClasspath, cache);
        return cache;
    }

    private static void train(String java, List<String> flags, String workerClasspath, Path cache)
            throws IOException, InterruptedException {
        Files.createDirectories(cache.getParent());
        Files.setPosixFilePermissions(cache.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path partial = Files.createTempFile(cache.getParent(), "training-", ".aot");
        Files.delete(partial);
        // one log per cache key, replaced by each attempt: a master restarted with flags that cannot
        // train leaves one file to read, not one per start
        Path output = cache.resolveSibling(cache.getFileName().toString().replace(".aot", ".training.log"));
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("-XX:AOTCacheOutput=" + partial, "-cp", workerClasspath, "io.jcorn.worker.Training"));
        long started = System.nanoTime();
        Process training = Children.start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()));
        try {
            boolean done = training.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS);
            if (!done) training.destroyForcibly().waitFor();
            if (!done || training.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new IOException("the training run failed; its output is in " + output);
            }
            checkUsable(java, flags, workerClasspath, partial, output);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(output);
            removeOldCaches(cache.getParent());
            log.info("Trained the workers' AOT cache in {} ms: {}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), cache);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    // Some flag sets train a cache that a JVM with the same flags then refuses at start-up (a young
    // generation larger than the initial heap, for one), and refusing it stops the JVM: a worker
    // would never boot. So a JVM with the workers' flags must start with it once before it is used.
    private static void checkUsable(String java, List<String> flags, String workerClasspath, Path cache, Path output)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("-XX:AOTCache=" + cache, "-cp", workerClasspath, "-version"));
        Process check = Children.start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()));
        if (!check.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) check.destroyForcibly().waitFor();
        if (check.exitValue() != 0) {
            throw new IOException("a JVM with the workers' flags cannot use the trained cache; see " + output);
        }
    }

    // Each rebuild of jcorn trains a new cache (14 MB); keep the few most recent ones.
    private static void removeOldCaches(Path dir) throws IOException {
        List<Path> caches;
        try (var listing = Files.list(dir)) {
            caches = listing.filter(p -> p.getFileName().toString().matches("worker-[0-9a-f]+\\.aot")).toList();
        }
        List<Path> newestFirst = new ArrayList<>(caches);
        newestFirst.sort((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()) * -1);
        for (Path old : newestFirst.subList(Math.min(CACHES_KEPT, newestFirst.size()), newestFirst.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static Path location(String java, List<String> flags, String workerClasspath, boolean otherUser)
            throws IOException {
        StringBuilder key = new StringBuilder(java).append('\n').append(Runtime.version()).append('\n')
                .append(String.join(" ", flags)).append('\n');
        for (String entry : workerClasspath.split(File.pathSeparator)) {
            for (Path jar : jars(entry)) {
                key.append(jar.toAbsolutePath()).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
        }
        return cacheDir(otherUser).resolve("worker-" + sha256(key.toString()).substring(0, 16) + ".aot");
    }

    private static List<Path> jars(String entry) throws IOException {
        if (!entry.endsWith("*")) return List.of(Path.of(entry));
        try (var listing = Files.list(Path.of(entry.substring(0, entry.length() - 1)))) {
            return listing.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    // Workers running as another user (--user) cannot read root's home: the cache then lives in
    // /var/cache/jcorn, which only root can write (a cache others could write would be code they
    // could slip into every worker).
    private static Path cacheDir(boolean otherUser) {
        if (otherUser) return Path.of("/var/cache/jcorn");
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "jcorn");
        return Path.of(System.getProperty("user.home"), ".cache", "jcorn");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
