package io.jcorn.master.reload;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code --reload} watches: the app's {@code --classpath} (each directory with everything
 * below it, each jar, each {@code dir/*}'s jars) and {@code --reload-extra-file} entries, a file
 * or a pattern as Gunicorn 26.1 takes them ({@link GlobPattern}). A {@link #scan()} stamps them all
 * now; two scans differ where something changed.
 *
 * <p>As Gunicorn: a literal extra file must exist at start, a pattern that matches nothing is only
 * worth a warning (it may match later), and an extra entry that is a directory is watched as
 * itself (its entries coming and going), not recursively. Classpath entries may be missing at
 * start (a build's output directory after a clean): they count once they appear.
 */
public final class ReloadPaths {
    /** What a file looked like at a scan: a change to any part is a change to the file. */
    record Stamp(long modifiedNanos, long size, Object fileKey) {
        static Stamp of(BasicFileAttributes attributes) {
            return new Stamp(attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    attributes.size(), attributes.fileKey());
        }
    }

    /** One scan: each watched path's stamp, and the directories it looked in (for a watch service). */
    record Scan(Map<Path, Stamp> stamps, Set<Path> directories) {
        /** The paths created, changed or removed since {@code before}. */
        Set<Path> changedSince(Scan before) {
            Set<Path> changed = new HashSet<>();
            stamps.forEach((path, stamp) -> {
                if (!stamp.equals(before.stamps.get(path))) changed.add(path);
            });
            for (Path path : before.stamps.keySet()) if (!stamps.containsKey(path)) changed.add(path);
            return changed;
        }
    }

    private final List<Path> trees = new ArrayList<>();
    private final List<Path> jarDirectories = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final List<GlobPattern> patterns = new ArrayList<>();
    private final Path base;

    private ReloadPaths(Path base) {
        this.base = base;
    }

    /**
     * @param classpath  {@code --classpath}: entries separated by ':', {@code dir/*} for a directory's jars
     * @param base       what relative entries are relative to (the working directory, after {@code --chdir})
     * @param extraFiles {@code --reload-extra-file} entries
     * @throws IllegalArgumentException naming an extra file that does not exist
     */
    public static ReloadPaths of(String classpath, Path base, List<String> extraFiles) {
        ReloadPaths paths = new ReloadPaths(base.toAbsolutePath().normalize());
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            if (entry.equals("*") || entry.endsWith("/*")) paths.jarDirectories.add(paths.resolve(entry.substring(0, entry.length() - 1)));
            else paths.trees.add(paths.resolve(entry));
        }
        for (String extra : extraFiles) {
            if (GlobPattern.isPattern(extra)) {
                paths.patterns.add(new GlobPattern(extra));
            } else {
                Path file = paths.resolve(extra);
                if (!Files.exists(file)) throw new IllegalArgumentException("--reload-extra-file " + extra + ": no such file");
                paths.files.add(file);
            }
        }
        return paths;
    }

    private Path resolve(String entry) {
        return base.resolve(entry.isEmpty() ? "." : entry).normalize();
    }

    /** The extra-file patterns that match nothing now: worth a warning, as Gunicorn gives one. */
    public List<String> unmatchedPatterns() {
        return patterns.stream().filter(p -> p.expand(base).isEmpty()).map(GlobPattern::toString).toList();
    }

    /** Stamps everything watched, as it is now. */
    Scan scan() {
        Map<Path, Stamp> stamps = new HashMap<>();
        Set<Path> directories = new HashSet<>();
        for (Path tree : trees) walk(tree, stamps, directories);
        for (Path dir : jarDirectories) jars(dir, stamps, directories);
        for (Path file : files) stampWithParent(file, stamps, directories);
        for (GlobPattern pattern : patterns) {
            directories.add(pattern.base(base));
            for (Path match : pattern.expand(base)) stampWithParent(match, stamps, directories);
        }
        directories.removeIf(d -> !Files.isDirectory(d));
        return new Scan(stamps, directories);
    }

    /** A class directory with everything below it, or a jar; nothing if it is missing. */
    private static void walk(Path root, Map<Path, Stamp> stamps, Set<Path> directories) {
        if (!Files.isDirectory(root)) {
            stampWithParent(root, stamps, directories);
            return;
        }
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    directories.add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    stamps.put(file, Stamp.of(attributes));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while walking, or a link loop
                }
            });
        } catch (IOException e) {
            // the tree went away while walked: the next scan sees what is left
        }
    }

    private static void jars(Path dir, Map<Path, Stamp> stamps, Set<Path> directories) {
        directories.add(dir);
        if (!Files.isDirectory(dir)) return;
        try (var entries = Files.list(dir)) {
            entries.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .forEach(jar -> stamp(jar, stamps));
        } catch (IOException e) {
            // unreadable or gone: no jars there now
        }
    }

    private static void stampWithParent(Path path, Map<Path, Stamp> stamps, Set<Path> directories) {
        if (path.getParent() != null) directories.add(path.getParent());
        stamp(path, stamps);
    }

    private static void stamp(Path path, Map<Path, Stamp> stamps) {
        try {
            stamps.put(path, Stamp.of(Files.readAttributes(path, BasicFileAttributes.class)));
        } catch (IOException e) {
            // missing now: absent from this scan, so its coming or going is a change
        }
    }

    @Override
    public String toString() {
        return "ReloadPaths[trees=" + trees + ", jars in=" + jarDirectories + ", files=" + files + ", patterns=" + patterns + "]";
    }
}
