package io.jcorn.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --pid FILE}: the master's pid for init scripts and operators. Written atomically (a reader
 * never sees half a number), removed on exit, and refused while another live master owns it.
 */
final class Pidfile {
    private final Path path;
    private final long pid;

    private Pidfile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    /** Claims {@code path} for this process; the message of the exception is the one line to show. */
    static Pidfile claim(Path path, long pid) throws IOException {
        long owner = read(path);
        if (owner > 0 && owner != pid && isMaster(owner)) {
            throw new IOException("Can't write the pidfile " + path + ": jcorn master " + owner + " is running and owns it");
        }
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Created as any file is (mode 0666 less the umask), unlike a temp file's fixed 0600.
        Path partial = dir.resolve("." + path.getFileName() + "." + pid + ".tmp");
        Files.writeString(partial, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(partial, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Pidfile(path, pid);
    }

    /** After an upgrade: moves this pidfile ({@code <pidfile>.2}) to {@code target}, the old master's being gone. */
    Pidfile promote(Path target) throws IOException {
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Pidfile(target, pid);
    }

    /** Removes the file if it still names this process (a newer master may have taken it over). */
    void remove() {
        try {
            if (read(path) == pid) Files.deleteIfExists(path);
        } catch (IOException e) {
            // leaving: nothing more to do
        }
    }

    private static long read(Path path) {
        try {
            return Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isMaster(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("io.jcorn.master.JcornCommand");
        } catch (IOException e) {
            return false;
        }
    }
}
