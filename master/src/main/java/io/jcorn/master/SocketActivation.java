package io.jcorn.master;

import io.jcorn.protocol.WorkerContract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * systemd's socket activation: when {@code LISTEN_PID} is this process, {@code LISTEN_FDS}
 * listening sockets wait at descriptors 3, 4, ...; jcorn serves on them instead of binding.
 */
final class SocketActivation {
    static final int FIRST_FD = 3;
    private static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;

    private SocketActivation() {}

    /** The descriptors passed by systemd, or by an old master during an upgrade; none if not for us. */
    static List<Integer> passedFds(Map<String, String> env, long pid) {
        try {
            String upgrade = env.get(Upgrade.FDS);
            if (upgrade != null && !upgrade.isEmpty()) {
                return java.util.Arrays.stream(upgrade.split(",")).map(Integer::parseInt).toList();
            }
            if (Long.parseLong(env.getOrDefault("LISTEN_PID", "0")) != pid) return List.of();
            int count = Integer.parseInt(env.getOrDefault("LISTEN_FDS", "0"));
            List<Integer> fds = new ArrayList<>();
            for (int i = 0; i < count; i++) fds.add(FIRST_FD + i);
            return fds;
        } catch (NumberFormatException e) {
            return List.of();
        }
    }

    /** The family of the socket at {@code fd}. */
    static WorkerContract.Family familyOf(Libc libc, int fd) throws IOException {
        return switch (libc.socketDomain(fd)) {
            case AF_UNIX -> WorkerContract.Family.UNIX;
            case AF_INET -> WorkerContract.Family.INET;
            case AF_INET6 -> WorkerContract.Family.INET6;
            default -> throw new IOException("descriptor " + fd + " is not a TCP or unix socket");
        };
    }
}
