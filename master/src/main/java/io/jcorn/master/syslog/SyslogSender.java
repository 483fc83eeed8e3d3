package io.jcorn.master.syslog;

import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends {@link SyslogMessage}s to a {@link SyslogAddress}: UDP datagrams, a TCP stream, or a
 * unix socket of either kind. The JDK has no unix datagram sockets (the kind {@code /dev/log}
 * is), so those go through jnr-unixsocket, which the master has anyway: syslog is sent from the
 * master, not from the JDK-only workers.
 *
 * <p>As Python's SysLogHandler, which Gunicorn uses: the socket is opened at start, so a unix or
 * TCP address that nothing listens on is an error then; a unix socket that fails a send is opened
 * again once (syslogd restarted) and the message sent again; over a stream, messages are
 * separated only by their trailing NUL. Differs: a TCP connection is reopened as well, and UDP
 * datagrams are cut at 65507 bytes where Python's send would fail.
 */
public final class SyslogSender implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_507;

    /** Where the bytes go, once opened. */
    private sealed interface Target extends AutoCloseable {
        void send(byte[] message) throws IOException;

        Channel channel();

        @Override
        default void close() throws IOException {
            channel().close();
        }
    }

    private record Udp(DatagramChannel channel, InetSocketAddress to) implements Target {
        public void send(byte[] message) throws IOException {
            channel.send(ByteBuffer.wrap(message, 0, Math.min(message.length, MAX_DATAGRAM)), to);
        }
    }

    private record Stream(SocketChannel channel) implements Target {
        public void send(byte[] message) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(message);
            while (buffer.hasRemaining()) channel.write(buffer);
        }
    }

    private record UnixDatagram(UnixDatagramChannel channel, UnixSocketAddress to) implements Target {
        public void send(byte[] message) throws IOException {
            if (channel.send(ByteBuffer.wrap(message), to) < message.length) throw new IOException("the datagram was not sent whole");
        }
    }

    private final SyslogAddress address;
    private Target target;

    private SyslogSender(SyslogAddress address, Target target) {
        this.address = address;
        this.target = target;
    }

    /**
     * Opens the socket (resolving a host name once).
     *
     * @throws IOException one line naming the address and why it cannot be used
     */
    public static SyslogSender open(SyslogAddress address) throws IOException {
        return new SyslogSender(address, target(address));
    }

    private static Target target(SyslogAddress address) throws IOException {
        try {
            return switch (address) {
                case SyslogAddress.Udp udp -> new Udp(DatagramChannel.open(), resolved(udp.host(), udp.port()));
                case SyslogAddress.Tcp tcp -> new Stream(SocketChannel.open(resolved(tcp.host(), tcp.port())));
                case SyslogAddress.Unix unix -> unix(unix);
            };
        } catch (IOException e) {
            throw new IOException("syslog " + describe(address) + ": " + e.getMessage(), e);
        }
    }

    private static InetSocketAddress resolved(String host, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) throw new IOException("cannot resolve " + host);
        return address;
    }

    /** A stream socket is connected; a datagram one takes each message by its path (sendto). */
    private static Target unix(SyslogAddress.Unix unix) throws IOException {
        Path path = Path.of(unix.path());
        if (!Files.exists(path)) throw new IOException("no such socket");
        if (unix.type() == SyslogAddress.SocketType.DGRAM) return unixDatagram(path);
        SocketChannel stream = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            stream.connect(UnixDomainSocketAddress.of(path));
            return new Stream(stream);
        } catch (IOException e) {
            stream.close();
            // no type given, as Python does: the other kind (connecting a stream to a datagram socket fails)
            if (unix.type() == SyslogAddress.SocketType.EITHER) return unixDatagram(path);
            throw e;
        }
    }

    private static Target unixDatagram(Path path) throws IOException {
        return new UnixDatagram(UnixDatagramChannel.open(), new UnixSocketAddress(path.toFile()));
    }

    /**
     * Sends one message; a unix or TCP socket that fails is opened again once and the message sent again.
     *
     * @throws IOException if it could not be sent
     */
    public synchronized void send(byte[] message) throws IOException {
        try {
            target.send(message);
        } catch (IOException e) {
            if (address instanceof SyslogAddress.Udp) throw e;
            target.close();
            target = target(address);
            target.send(message);
        }
    }

    public SyslogAddress address() {
        return address;
    }

    /** The address in the form {@code --syslog-addr} takes. */
    public static String describe(SyslogAddress address) {
        return switch (address) {
            case SyslogAddress.Udp udp -> "udp://" + bracketed(udp.host()) + ":" + udp.port();
            case SyslogAddress.Tcp tcp -> "tcp://" + bracketed(tcp.host()) + ":" + tcp.port();
            case SyslogAddress.Unix unix -> "unix://" + unix.path() + (unix.type() == SyslogAddress.SocketType.EITHER ? ""
                    : "#" + unix.type().name().toLowerCase(java.util.Locale.ROOT));
        };
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    @Override
    public synchronized void close() throws IOException {
        target.close();
    }
}
