package io.jcorn.master;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;

/**
 * The master's unix socket for {@code jcorn ctl}: one request line in, one JSON line out (see
 * docs/control.md). It runs on its own thread and never acts itself: a command becomes
 * {@link Event}s on the arbiter's queue, exactly as the matching signal would, and {@code status}
 * is read from the {@link Scoreboard}.
 *
 * <p>Only the master's own user, or root, is answered: the socket is mode 0600 in a 0700
 * directory, and the peer's uid (SO_PEERCRED) is checked too.
 */
final class ControlSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);
    private static final int MAX_REQUEST = 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final UserPrincipal owner;
    private final ControlCommands commands;

    private ControlSocket(Path path, ServerSocketChannel server, ControlCommands commands) throws IOException {
        this.path = path;
        this.server = server;
        this.commands = commands;
        this.owner = Files.getOwner(path);
    }

    /** Listens at {@code path}; null (and a warning) if another live master holds it or it cannot be made. */
    static ControlSocket open(Path path, ControlCommands commands) {
        try {
            if (path.equals(defaultPath())) prepareDefaultDirectory(path.getParent());
            if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (answers(path)) {
                    log.warn("Control socket {} belongs to another running master; this one runs without one "
                            + "(give it --control-socket PATH)", path);
                    return null;
                }
                Files.delete(path); // left by a master that died without cleaning up
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            ControlSocket socket = new ControlSocket(path, server, commands);
            Thread.ofPlatform().daemon().name("jcorn-control").start(socket::serve);
            log.info("Control socket at {}", path);
            return socket;
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Can't open the control socket {}: {}; running without one", path, e.getMessage());
            return null;
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                answer(client);
            } catch (IOException e) {
                if (server.isOpen()) log.debug("control client: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("control request failed", e);
            }
        }
    }

    private void answer(SocketChannel client) throws IOException {
        String request = readLine(client); // read even when refused: a client still writing would get EPIPE
        Map<String, Object> reply;
        UserPrincipal peer = client.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
        if (!peer.equals(owner) && !peer.getName().equals("root")) {
            log.warn("Control socket: refused a request from user {}", peer.getName());
            reply = ControlCommands.error("permission denied: only " + (owner.getName().equals("root") ? "root"
                    : owner.getName() + " or root") + " may control this master");
        } else {
            reply = commands.run(request);
        }
        client.write(ByteBuffer.wrap((Json.write(reply) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static String readLine(SocketChannel client) throws IOException {
        var in = Channels.newInputStream(client);
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (line.length() >= MAX_REQUEST) throw new IOException("request line too long");
            line.append((char) b);
        }
        return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("closing the control socket: {}", e.getMessage());
        }
    }

    /**
     * Where the control socket is when --control-socket is not given (jcorn ctl looks there too):
     * {@code $XDG_RUNTIME_DIR/jcorn/jcorn.sock}, else {@code /tmp/jcorn-UID/jcorn.sock}.
     */
    static Path defaultPath() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path dir = runtime != null && !runtime.isEmpty() ? Path.of(runtime, "jcorn") : Path.of("/tmp", "jcorn-" + uid());
        return dir.resolve("jcorn.sock");
    }

    /** Makes the default directory, 0700, and checks that nobody else owns it. */
    static void prepareDefaultDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (owner != uid()) throw new IOException(dir + " belongs to uid " + owner + ", not to us");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            return -1;
        }
    }
}
