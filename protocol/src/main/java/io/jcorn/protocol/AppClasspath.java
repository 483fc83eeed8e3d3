package io.jcorn.protocol;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --classpath}, as the workers (for the app) and the master (for {@code --hooks}) read it:
 * jars and directories separated by {@code :}, and {@code dir/*} for every jar in dir.
 */
public final class AppClasspath {
    private AppClasspath() {}

    /**
     * The entries of {@code classpath} as URLs, relative ones resolved against {@code base}.
     *
     * @throws IllegalArgumentException naming the entry that is missing or unreadable
     */
    public static URL[] urls(String classpath, Path base) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            if (entry.endsWith("/*") || entry.equals("*")) {
                addJars(base.resolve(entry.substring(0, entry.length() - 1)), entry, urls);
                continue;
            }
            Path path = base.resolve(entry);
            if (!Files.exists(path)) throw new IllegalArgumentException("Classpath entry '" + entry + "' does not exist");
            urls.add(url(path));
        }
        return urls.toArray(URL[]::new);
    }

    private static void addJars(Path dir, String entry, List<URL> urls) {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir.toAbsolutePath(), "*.{jar,JAR}")) {
            for (Path jar : jars) urls.add(url(jar));
        } catch (IOException e) {
            throw new IllegalArgumentException("Classpath entry '" + entry + "' cannot be read: " + e.getMessage());
        }
    }

    private static URL url(Path path) {
        try {
            return path.toAbsolutePath().normalize().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Classpath entry '" + path + "' is not a valid path");
        }
    }
}
