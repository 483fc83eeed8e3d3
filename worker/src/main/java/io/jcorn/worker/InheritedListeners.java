package io.jcorn.worker;

import io.jcorn.protocol.WorkerContract;

import java.io.FileDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the listening descriptors inherited from the master into JDK server channels.
 *
 * <p>The JDK can only wrap an inherited descriptor through its internal constructor (the public
 * {@code System.inheritedChannel()} takes fd 0 alone); the worker JVM is started with
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} for it. JDK channels, unlike jnr's, cost no
 * boot time and no CPU per request.
 */
final class InheritedListeners {
    private InheritedListeners() {}

    static List<ServerSocketChannel> open(List<WorkerContract.Listener> listeners) throws ReflectiveOperationException {
        Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
        newFd.setAccessible(true);
        Constructor<?> channel = Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredConstructor(
                SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
        channel.setAccessible(true);
        List<ServerSocketChannel> channels = new ArrayList<>();
        for (WorkerContract.Listener listener : listeners) {
            FileDescriptor fd = (FileDescriptor) newFd.invoke(null, listener.fd());
            channels.add((ServerSocketChannel) channel.newInstance(
                    SelectorProvider.provider(), family(listener.family()), fd, true));
        }
        return channels;
    }

    private static ProtocolFamily family(WorkerContract.Family family) {
        return switch (family) {
            case INET -> StandardProtocolFamily.INET;
            case INET6 -> StandardProtocolFamily.INET6;
            case UNIX -> StandardProtocolFamily.UNIX;
        };
    }
}
