package io.jcorn.master;

import io.jcorn.protocol.InheritedSockets;
import io.jcorn.protocol.WorkerContract;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The listening sockets, bound by the master and shared with every worker. The master never
 * accepts on them; it keeps them open so that workers can come and go without a refused connection.
 */
final class Listeners implements AutoCloseable {
    private static final int BACKLOG = 2048;

    /** One bound socket, its descriptor in the master, and what workers need to wrap it. */
    record Listener(BindAddress address, ServerSocketChannel channel, int fd, WorkerContract.Family family,
                    boolean inherited) {
        String url() {
            if (address instanceof BindAddress.Unix unix) return "unix:" + unix.path();
            String host = ((BindAddress.Tcp) address).host();
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + localAddress().getPort();
        }

        private InetSocketAddress localAddress() {
            try {
                return (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Who may connect to the unix sockets jcorn binds, as Gunicorn decides it: the socket file's
     * mode is 0777 less {@code umask} ({@code --umask}, 0 by default: any local user, a packaged
     * nginx's workers among them), and it belongs to the workers' user and group, if given.
     */
    record SocketAccess(int umask, int uid, int gid) {
        static SocketAccess of(Config config) {
            return new SocketAccess(Math.max(config.umask(), 0), config.workerUid(), config.workerGid());
        }

        void apply(Path socket) throws IOException {
            Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
            for (int i = 0; i < bits.length; i++) {
                if ((0777 & ~umask & (0400 >> i)) != 0) mode.add(bits[i]);
            }
            Files.setPosixFilePermissions(socket, mode);
            if (uid >= 0) Files.setAttribute(socket, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            if (gid >= 0) Files.setAttribute(socket, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Binding failed; the message is the one line the operator sees. */
    static final class BindError extends Exception {
        BindError(String message) {
            super(message);
        }
    }

    private final List<Listener> listeners;

    private Listeners(List<Listener> listeners) {
        this.listeners = listeners;
    }

    static Listeners bind(List<BindAddress> addresses, SocketAccess access) throws BindError {
        List<Listener> bound = new ArrayList<>();
        try {
            for (BindAddress address : addresses) bound.add(bindOne(address, access));
        } catch (BindError e) {
            new Listeners(bound).close();
            throw e;
        }
        return new Listeners(bound);
    }

    /**
     * Takes the listening sockets already open at {@code fds}: from systemd (whose socket files
     * stay when jcorn exits) or from the old master of an upgrade ({@code ours}: jcorn's to remove).
     */
    static Listeners inherit(List<Integer> fds, boolean ours, Libc libc) throws BindError {
        List<Listener> inherited = new ArrayList<>();
        for (int fd : fds) {
            try {
                WorkerContract.Family family = SocketActivation.familyOf(libc, fd);
                ServerSocketChannel channel = InheritedSockets.open(fd, family);
                inherited.add(new Listener(addressOf(channel), channel, fd, family, !ours));
            } catch (IOException | ReflectiveOperationException e) {
                throw new BindError("Can't use the socket passed at descriptor " + fd + ": " + e.getMessage());
            }
        }
        return new Listeners(inherited);
    }

    private static BindAddress addressOf(ServerSocketChannel channel) throws IOException {
        return switch (channel.getLocalAddress()) {
            case InetSocketAddress inet -> new BindAddress.Tcp(inet.getAddress().getHostAddress(), inet.getPort());
            case UnixDomainSocketAddress unix -> new BindAddress.Unix(unix.getPath());
            default -> throw new IOException("not a TCP or unix socket");
        };
    }

    List<Listener> all() {
        return listeners;
    }

    /** The master's descriptors, in the order workers receive them. */
    int[] fds() {
        return listeners.stream().mapToInt(Listener::fd).toArray();
    }

    /** The sockets as a worker sees them: descriptors from {@link WorkerContract#FIRST_LISTENER_FD}. */
    List<WorkerContract.Listener> forWorker() {
        List<WorkerContract.Listener> result = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            result.add(new WorkerContract.Listener(WorkerContract.FIRST_LISTENER_FD + i, listeners.get(i).family()));
        }
        return result;
    }

    /** Removes jcorn's unix socket files now (the sockets stay open): no new client finds them. */
    void unlinkSocketFiles() {
        for (Listener listener : listeners) {
            if (listener.address() instanceof BindAddress.Unix unix && !listener.inherited()) {
                try {
                    Files.deleteIfExists(unix.path());
                } catch (IOException e) {
                    // closing: the file goes with close() at the latest
                }
            }
        }
    }

    /** Closes the master's sockets and removes unix socket files. Workers keep their own copies. */
    @Override
    public void close() {
        close(true);
    }

    /** Closes the master's sockets; socket files stay if another master still serves on them. */
    void close(boolean removeFiles) {
        for (Listener listener : listeners) {
            try {
                listener.channel().close();
                // A socket passed in belongs to whoever made it (systemd): its file stays.
                if (listener.address() instanceof BindAddress.Unix unix && !listener.inherited() && removeFiles) {
                    Files.deleteIfExists(unix.path());
                }
            } catch (IOException e) {
                // closing on the way out: nothing left to do about it
            }
        }
    }

    private static Listener bindOne(BindAddress address, SocketAccess access) throws BindError {
        try {
            return switch (address) {
                case BindAddress.Tcp tcp -> bindTcp(tcp);
                case BindAddress.Unix unix -> bindUnix(unix, access);
            };
        } catch (IOException e) {
            throw new BindError("Can't bind " + address + ": " + describe(e));
        }
    }

    private static Listener bindTcp(BindAddress.Tcp tcp) throws IOException, BindError {
        InetAddress host;
        try {
            host = InetAddress.getByName(tcp.host());
        } catch (UnknownHostException e) {
            throw new BindError("Can't bind " + tcp + ": unknown host '" + tcp.host() + "'");
        }
        boolean v6 = host instanceof java.net.Inet6Address;
        ServerSocketChannel channel = ServerSocketChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(host, tcp.port()), BACKLOG);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Listener(tcp, channel, fdOf(channel), v6 ? WorkerContract.Family.INET6 : WorkerContract.Family.INET, false);
    }

    private static Listener bindUnix(BindAddress.Unix unix, SocketAccess access) throws IOException, BindError {
        removeStaleSocket(unix);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(unix.path()), BACKLOG);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        try {
            access.apply(unix.path());
        } catch (IOException | UnsupportedOperationException e) {
            channel.close();
            Files.deleteIfExists(unix.path());
            throw new BindError("Can't bind " + unix + ": cannot set the socket file's mode or owner: " + e);
        }
        return new Listener(unix, channel, fdOf(channel), WorkerContract.Family.UNIX, false);
    }

    // A socket file left by a server that died is removed; one that still answers is not ours to take.
    private static void removeStaleSocket(BindAddress.Unix unix) throws IOException, BindError {
        Path path = unix.path();
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isOther()) throw new BindError("Can't bind " + unix + ": the path exists and is not a socket");
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new BindError("Can't bind " + unix + ": another server is listening there");
        } catch (IOException refused) {
            Files.delete(path);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    // The JDK keeps the descriptor number private; the master JVM runs with
    // --add-exports java.base/sun.nio.ch=ALL-UNNAMED to read it.
    private static int fdOf(ServerSocketChannel channel) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a socket's descriptor: start the master with "
                    + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED (bin/jcorn does)", e);
        }
    }
}
