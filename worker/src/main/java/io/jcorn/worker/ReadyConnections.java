package io.jcorn.worker;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gthread worker's parked connections, in one epoll set that all its threads wait on. When
 * threads share the set, each connection is armed for one readiness event ({@code EPOLLONESHOT}),
 * so the kernel hands a connection whose next request arrives to exactly one waiting thread, which
 * serves it and parks it again (a re-arm). A lone thread (gthread's default) needs no arming: it
 * never waits while it serves, and a served connection whose bytes it read reports nothing until
 * its next bytes arrive (level-triggered), so its requests cost no {@code epoll_ctl}. No thread
 * hands connections to another (Gunicorn's gthread does, through a queue): on this path a request
 * costs a read, a write and its share of a wait, and no thread switch.
 *
 * <p>The JDK's {@code Selector} cannot do this (one thread selects, and a registration change
 * waits for it); its internal epoll binding, in the package the worker JVM already opens for its
 * inherited sockets, can. Each waiting thread has its own {@link Waiter} (a native event array).
 * The epoll descriptor lives as long as the worker.
 */
final class ReadyConnections {
    // Linux's epoll ABI (sys/epoll.h)
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_MOD = 3;
    private static final int EPOLLIN = 0x001, EPOLLONESHOT = 1 << 30;

    private static final int POLLIN = 0x001;

    private static final MethodHandle CREATE, CTL, WAIT, ALLOCATE, FREE, EVENT, DESCRIPTOR, FD_VAL, FD, POLL;

    static {
        try {
            Class<?> epoll = Class.forName("sun.nio.ch.EPoll");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(epoll, MethodHandles.lookup());
            CREATE = lookup.findStatic(epoll, "create", MethodType.methodType(int.class));
            CTL = lookup.findStatic(epoll, "ctl", MethodType.methodType(int.class, int.class, int.class, int.class, int.class));
            WAIT = lookup.findStatic(epoll, "wait", MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
            ALLOCATE = lookup.findStatic(epoll, "allocatePollArray", MethodType.methodType(long.class, int.class));
            FREE = lookup.findStatic(epoll, "freePollArray", MethodType.methodType(void.class, long.class));
            EVENT = lookup.findStatic(epoll, "getEvent", MethodType.methodType(long.class, long.class, int.class));
            DESCRIPTOR = lookup.findStatic(epoll, "getDescriptor", MethodType.methodType(int.class, long.class));
            Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl");
            MethodHandles.Lookup channels = MethodHandles.privateLookupIn(selectable, MethodHandles.lookup());
            FD_VAL = channels.findVirtual(selectable, "getFDVal", MethodType.methodType(int.class));
            FD = channels.findVirtual(selectable, "getFD", MethodType.methodType(java.io.FileDescriptor.class));
            Class<?> net = Class.forName("sun.nio.ch.Net");
            POLL = MethodHandles.privateLookupIn(net, MethodHandles.lookup()).findStatic(net, "poll",
                    MethodType.methodType(int.class, java.io.FileDescriptor.class, int.class, long.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("the gthread worker needs the JDK's epoll binding"
                    + " (--add-opens java.base/sun.nio.ch=ALL-UNNAMED, on Linux): " + e);
        }
    }

    private final int epfd;
    /** What a connection waits for: its next bytes, once (shared set) or whenever they are there (lone thread). */
    private final int interest;
    private final Map<Integer, Connection> byDescriptor = new ConcurrentHashMap<>();

    /** @param shared whether several threads wait on the set (then each event is armed once) */
    ReadyConnections(boolean shared) throws IOException {
        this.interest = shared ? EPOLLIN | EPOLLONESHOT : EPOLLIN;
        try {
            this.epfd = (int) CREATE.invokeExact();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }

    /** The descriptor of a socket channel. */
    static int descriptor(java.nio.channels.NetworkChannel channel) {
        try {
            return (int) FD_VAL.invoke(channel);
        } catch (Throwable e) {
            throw new IllegalStateException("no descriptor for " + channel, e);
        }
    }

    /** Waits up to {@code millis} for bytes (or the end) to arrive on a socket; true if they did. */
    static boolean awaitBytes(SocketChannel channel, int millis) throws IOException {
        try {
            return (int) POLL.invoke(FD.invoke(channel), POLLIN, (long) millis) != 0;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }

    /** Arms a connection for its next request; a new one joins the set (a lone thread's set is always armed). */
    void arm(Connection connection) throws IOException {
        if (!connection.watched) {
            connection.watched = true;
            byDescriptor.put(connection.fd, connection);
            control(EPOLL_CTL_ADD, connection);
        } else if (interest != EPOLLIN) {
            control(EPOLL_CTL_MOD, connection);
        }
    }

    /** A closing connection leaves the set; closing its descriptor takes it out of epoll. */
    void remove(Connection connection) {
        byDescriptor.remove(connection.fd, connection);
    }

    private void control(int op, Connection connection) throws IOException {
        int result;
        try {
            result = (int) CTL.invokeExact(epfd, op, connection.fd, interest);
        } catch (Throwable e) {
            throw new IOException(e);
        }
        if (result != 0) throw new IOException("epoll_ctl failed with errno " + result);
    }

    /**
     * One thread's place to wait for ready connections. A thread alone in its worker takes every
     * ready connection in one wait and serves them in turn (one wait for many requests, as
     * nginx does); threads that share the set take one each, so no thread holds a ready
     * connection while another is free to serve it.
     */
    final class Waiter implements AutoCloseable {
        private final long events;
        private final int capacity;
        private final Connection[] taken;

        Waiter(int capacity) {
            try {
                this.events = (long) ALLOCATE.invokeExact(capacity);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            this.capacity = capacity;
            this.taken = new Connection[capacity];
        }

        /** Waits up to {@code millis} for connections whose bytes arrived; returns how many, at {@link #taken(int)}. */
        int take(int millis) throws IOException {
            int n;
            try {
                n = (int) WAIT.invokeExact(epfd, events, capacity, millis);
                for (int i = 0; i < n; i++) {
                    taken[i] = byDescriptor.get((int) DESCRIPTOR.invokeExact((long) EVENT.invokeExact(events, i)));
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException(e);
            }
            return Math.max(n, 0);
        }

        /** The {@code i}th connection of the last {@link #take(int)}; null if it had closed before the wait returned. */
        Connection taken(int i) {
            Connection connection = taken[i];
            taken[i] = null;
            return connection;
        }

        @Override
        public void close() {
            try {
                FREE.invokeExact(events);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
