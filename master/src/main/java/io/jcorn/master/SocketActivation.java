package io.jcorn.master;

import io.jcorn.protocol.WorkerContract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * systemd's socket activation: when {@code LISTEN_PID} is this process, {@code LISTEN_FDS}
 * listening sockets wait at descriptors 3, 4, ...; jcorn serves on them instead of binding.
 * The socket's family is read from {@code /proc/net}, so no native call is needed.
 */
final class SocketActivation {
    static final int FIRST_FD = 3;

    private SocketActivation() {}

    /** The passed descriptors, or none if the sockets (if any) are not meant for this process. */
    static List<Integer> passedFds(Map<String, String> env, long pid) {
        try {
            if (Long.parseLong(env.getOrDefault("LISTEN_PID", "0")) != pid) return List.of();
            int count = Integer.parseInt(env.getOrDefault("LISTEN_FDS", "0"));
            List<Integer> fds = new ArrayList<>();
            for (int i = 0; i < count; i++) fds.add(FIRST_FD + i);
            return fds;
        } catch (NumberFormatException e) {
            return List.of();
        }
    }

    /** The family of the socket at {@code fd}, found by its inode in /proc/net/{tcp,tcp6,unix}. */
    static WorkerContract.Family familyOf(int fd) throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        if (!link.startsWith("socket:[")) throw new IOException("descriptor " + fd + " is not a socket (" + link + ")");
        String inode = link.substring("socket:[".length(), link.length() - 1);
        if (listsInode("/proc/net/tcp", 9, inode)) return WorkerContract.Family.INET;
        if (listsInode("/proc/net/tcp6", 9, inode)) return WorkerContract.Family.INET6;
        if (listsInode("/proc/net/unix", 6, inode)) return WorkerContract.Family.UNIX;
        throw new IOException("descriptor " + fd + " is not a TCP or unix stream socket");
    }

    private static boolean listsInode(String table, int column, String inode) throws IOException {
        for (String line : Files.readAllLines(Path.of(table))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > column && fields[column].equals(inode)) return true;
        }
        return false;
    }
}
