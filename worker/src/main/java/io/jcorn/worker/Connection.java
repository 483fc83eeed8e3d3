package io.jcorn.worker;

import io.jcorn.protocol.http.RequestHead;
import io.jcorn.protocol.http.RequestInput;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client connection and what outlives a request on it: its buffered input (pipelined bytes
 * wait there), the client's address (from a PROXY header, once per connection), and the slot it
 * takes in its worker's connection count, given back once, on close.
 */
final class Connection implements AutoCloseable {
    /** Unread bytes past which a head is given to the parser even without its end (it refuses what is too long). */
    private static final int HEAD_JUDGED = 8192;

    final SocketChannel channel;
    final RequestInput in;
    /** The bytes of each response's writes, reused. */
    final ResponseBuffer out = new ResponseBuffer();
    /** The head of its last request, which the parser fills again for the next one; null before the first. */
    RequestHead lastHead;
    private final TimedInput timed;
    private final Consumer<Connection> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private SocketAddress remote;
    private RequestEnviron.Remote remoteText;
    private RequestEnviron.Server server;
    /** Whether its PROXY header, if any, was read (a gthread connection may wait before it is): its idle limit is --keep-alive from then on. */
    boolean opened;
    /** When it last became idle, for the keep-alive limit of parked connections. */
    volatile long idleSince;
    /** Between requests, who has it: a thread, nobody (it waits for its next request), or its end. */
    private final AtomicInteger state = new AtomicInteger(TAKEN);
    private static final int TAKEN = 0, WAITING = 1, ENDING = 2;
    /** When its end began (its FIN went out), for the bound on reading what the peer still sends. */
    volatile long endingSince;
    private final AtomicBoolean inputShut = new AtomicBoolean();
    /** Whether {@link Connections} knows it (it has waited idle once). */
    boolean known;
    /** Its socket's descriptor, for the gthread worker's epoll set; -1 elsewhere. */
    int fd = -1;
    /** gthread: since when the first bytes of a request head that is not whole yet are here; 0 if none. */
    volatile long headSince;
    /** gthread: whether it is in the worker's epoll set; the thread that parks it next may not be the one that added it. */
    volatile boolean watched;
    /** gthread: its request arrived with it, so a thread counts as busy for it from its accept on. */
    boolean counted;

    private String peer;

    /** The address of the socket's peer (a proxy, if PROXY headers come), as REMOTE_ADDR writes it; null over a unix socket. */
    String peer() throws IOException {
        if (peer == null && channel.getRemoteAddress() instanceof InetSocketAddress inet) {
            peer = RequestEnviron.hostAddress(inet);
        }
        return peer;
    }

    /** The client's address: the socket's peer, or what a PROXY header says. */
    SocketAddress remote() {
        return remote;
    }

    void remote(SocketAddress address) {
        remote = address;
        remoteText = null;
    }

    /** The client's address as the environ writes it. */
    RequestEnviron.Remote remoteText() {
        if (remoteText == null) remoteText = RequestEnviron.Remote.of(remote);
        return remoteText;
    }

    /**
     * SERVER_NAME and SERVER_PORT for a request with this Host header: a client sends the same
     * one on each request of a connection, so they are worked out once.
     */
    RequestEnviron.Server server(String host) throws IOException {
        if (server == null || !java.util.Objects.equals(server.host(), host)) {
            server = RequestEnviron.Server.of(host, channel.getLocalAddress());
        }
        return server;
    }

    Connection(SocketChannel channel, Consumer<Connection> onClose) throws IOException {
        this.channel = channel;
        this.onClose = onClose;
        this.timed = new TimedInput(channel);
        this.in = new RequestInput(timed);
        this.remote = channel.getRemoteAddress();
    }

    /** What is read from now on must arrive within {@code seconds} in all (0: no bound). */
    void readWithin(int seconds) {
        timed.within(seconds);
    }

    /** Each read from now on must get bytes within {@code seconds} (0: no bound). */
    void readEachWithin(int seconds) {
        timed.eachWithin(seconds);
    }

    /**
     * If the client's bytes are already here (most clients send their request with the connect),
     * the next read needs no time bound: it costs one system call instead of five.
     */
    void readyIfWaiting() throws IOException {
        if (timed.available() > 0) nextReadReady();
    }

    /** The next read finds bytes (or the end) waiting: it needs no time bound. */
    void nextReadReady() {
        timed.nextReadReady();
    }

    /** Whether a request's bytes wait to be read; false if the connection failed. */
    boolean hasRequestWaiting() {
        try {
            return in.buffered() > 0 || timed.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads what has arrived (without waiting) and says whether a whole request head is here, or
     * the end, or enough bytes for the parser to judge. If not, the bytes stay in the window and
     * {@link #headSince} says since when the head is arriving.
     */
    boolean headArrived() {
        try {
            if (in.holdsHead(HEAD_JUDGED)) return done();
            if ((timed.isNextReadReady() || timed.available() > 0) && (!readArrived() || in.holdsHead(HEAD_JUDGED))) {
                return done();
            }
        } catch (IOException e) {
            return done(); // the parser meets the failure again and ends the connection
        }
        if (headSince == 0) headSince = System.nanoTime();
        return false;
    }

    private boolean readArrived() throws IOException {
        timed.nextReadReady();
        return in.readArrived();
    }

    private boolean done() {
        headSince = 0;
        return true;
    }

    /** Whether bytes of a next request are already read (pipelined behind the last one). */
    boolean hasArrived() {
        return in.buffered() > 0;
    }

    /** Waits for the first byte of a next request (its end comes from {@link #end()}); false on close. */
    boolean awaitRequest() throws IOException {
        timed.within(0);
        in.mark(1);
        if (in.read() < 0) return false;
        in.reset();
        return true;
    }

    /** It waits for its next request, held by no thread. */
    void waits() {
        state.set(WAITING);
    }

    /** A thread takes it to serve what arrived; false if it was not waiting (taken already, or ending). */
    boolean take() {
        return state.compareAndSet(WAITING, TAKEN);
    }

    boolean waiting() {
        return state.get() == WAITING;
    }

    boolean ending() {
        return state.get() == ENDING;
    }

    /**
     * Ends a connection that waits for its next request, from another thread than its own: a FIN
     * first (output shut down), so the client sees the end rather than a reset; the thread that
     * takes it next reads and drops what the client still sends until its end (see
     * {@link LingeringClose}), and closes it. Only that thread closes it: a descriptor closed under
     * a waiting epoll event could be reused by a new connection before the event is taken.
     * False if a thread took it first.
     */
    boolean end() {
        endingSince = System.nanoTime();
        if (!state.compareAndSet(WAITING, ENDING)) return false;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            Log.debug("ending an idle connection: " + e.getMessage());
        }
        return true;
    }

    /**
     * A connection whose client did not answer its FIN in time: its input is shut down too, so its
     * thread reads the end, and closes it.
     */
    void stopReading() {
        if (!inputShut.compareAndSet(false, true)) return;
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            Log.debug("ending an idle connection: " + e.getMessage());
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            channel.close();
        } catch (IOException e) {
            Log.debug("closing a client: " + e.getMessage());
        }
        onClose.accept(this);
    }
}
