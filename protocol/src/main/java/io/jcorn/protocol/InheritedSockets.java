package io.jcorn.protocol;

import java.io.FileDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Wraps a listening socket inherited as a bare descriptor (from the master, from systemd, from
 * an old master during an upgrade) into a JDK server channel.
 *
 * <p>The JDK can only do this through its internal constructor (the public
 * {@code System.inheritedChannel()} takes fd 0 alone), so the JVM must run with
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}. JDK channels, unlike jnr's, cost no boot
 * time and no CPU per request.
 */
public final class InheritedSockets {
    private InheritedSockets() {}

    /** The listening socket at {@code fd}, of the given family. */
    public static ServerSocketChannel open(int fd, WorkerContract.Family family) throws ReflectiveOperationException {
        Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
        newFd.setAccessible(true);
        Constructor<?> channel = Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredConstructor(
                SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
        channel.setAccessible(true);
        return (ServerSocketChannel) channel.newInstance(SelectorProvider.provider(), family(family),
                newFd.invoke(null, fd), true);
    }

    private static ProtocolFamily family(WorkerContract.Family family) {
        return switch (family) {
            case INET -> StandardProtocolFamily.INET;
            case INET6 -> StandardProtocolFamily.INET6;
            case UNIX -> StandardProtocolFamily.UNIX;
        };
    }
}
