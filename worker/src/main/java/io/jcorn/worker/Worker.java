package io.jcorn.worker;

import io.jcorn.protocol.HeartbeatSlot;
import io.jcorn.protocol.InheritedSockets;
import io.jcorn.protocol.WorkerContract;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sync worker's life: accept on the inherited sockets, serve one client at a time, beat while
 * idle, and stop when told to or when the master is gone.
 *
 * <p>Each listener has its own platform thread blocked in {@code accept()}: the kernel then wakes
 * one waiting worker per connection, and a platform thread never flips the shared socket to
 * non-blocking mode (a virtual thread would, for the master and every worker). A lock keeps
 * serving to one client at a time, as Gunicorn's sync worker does.
 */
final class Worker {
    private static final List<ServerSocketChannel> DRAINING = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final List<ServerSocketChannel> listeners;
    private final List<WorkerContract.Listener> descriptors;
    private final HttpHandler handler;
    private final HeartbeatSlot slot;
    private final long masterPid;
    private final long beatIntervalMillis;
    private final long maxRequests;
    private long served;
    private final Object serving = new Object();
    private volatile boolean busy;
    private volatile boolean stopping;

    Worker(List<ServerSocketChannel> listeners, List<WorkerContract.Listener> descriptors, HttpHandler handler,
           HeartbeatSlot slot, long masterPid, int timeoutSeconds, long maxRequests) {
        this.listeners = listeners;
        this.descriptors = descriptors;
        this.handler = handler;
        this.slot = slot;
        this.masterPid = masterPid;
        this.beatIntervalMillis = Math.clamp(timeoutSeconds * 1000L / 4, 50, 500);
        this.maxRequests = maxRequests;
    }

    /** Serves until {@link #stop()}; returns once the last client is answered. */
    void run() throws InterruptedException {
        List<Thread> acceptors = new ArrayList<>();
        for (ServerSocketChannel listener : listeners) {
            acceptors.add(Thread.ofPlatform().name("jcorn-accept-" + acceptors.size())
                    .start(() -> acceptLoop(listener)));
        }
        Thread.ofPlatform().daemon().name("jcorn-heartbeat").start(this::heartbeatLoop);
        for (Thread acceptor : acceptors) acceptor.join();
    }

    private void acceptLoop(ServerSocketChannel listener) {
        while (!stopping) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopping) return;
                Log.warning("accept failed: " + e.getMessage());
                pause();
                continue;
            }
            serve(client);
        }
    }

    /** One client at a time, as Gunicorn's sync worker: the request path is {@link HttpHandler#process}. */
    private void serve(SocketChannel client) {
        synchronized (serving) {
            setBusy(true);
            try {
                handler.process(client);
            } finally {
                slot.countRequest();
                setBusy(false);
            }
            if (maxRequests > 0 && ++served == maxRequests) recycle();
        }
    }

    /**
     * Graceful stop: accept nothing more, finish the client in hand. When the whole server stops
     * (the master says so in the slot), first serve the connections already waiting in the
     * kernel's accept queue: they were made before the stop, and closing would reset them.
     */
    void stop() {
        if (stopping) return;
        stopping = true;
        if (slot.asked() == HeartbeatSlot.DRAIN) {
            Thread.ofPlatform().name("jcorn-drain").start(() -> {
                drainAcceptQueues();
                closeListeners();
            });
        } else {
            closeListeners();
        }
    }

    // A second, non-blocking channel on each inherited descriptor: accept() then answers "none
    // left" instead of waiting. Non-blocking mode is shared with every process holding the
    // socket, which is harmless only because they all stop; so only on a full stop.
    private void drainAcceptQueues() {
        for (WorkerContract.Listener inherited : descriptors) {
            try {
                ServerSocketChannel queue = InheritedSockets.open(inherited.fd(), inherited.family());
                DRAINING.add(queue); // never closed or collected: it shares the descriptor with the listener
                queue.configureBlocking(false);
                for (SocketChannel client; (client = queue.accept()) != null; ) {
                    client.configureBlocking(true);
                    serve(client);
                }
            } catch (IOException | ReflectiveOperationException e) {
                Log.warning("draining the accept queue of fd " + inherited.fd() + ": " + e);
            }
        }
    }

    private void closeListeners() {
        for (ServerSocketChannel listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                Log.debug("closing a listener: " + e.getMessage());
            }
        }
    }

    // --max-requests: leave gracefully and let the master start a fresh worker (a bounded leak stays bounded).
    private void recycle() {
        Log.info("Autorestarting worker after current request (" + served + " requests served)");
        slot.leave(HeartbeatSlot.RECYCLED);
        stop();
    }

    boolean stopping() {
        return stopping;
    }

    // A hung request must stop the beats (that is how the master sees it), so this thread beats
    // only while no request is in hand; the request thread beats as it takes and ends one.
    private void heartbeatLoop() {
        while (true) {
            synchronized (slot) {
                if (!busy) slot.idle(System.nanoTime());
            }
            if (!stopping && masterGone()) {
                Log.info("Parent changed, shutting down");
                stop();
                exitSoon(5);
            }
            try {
                Thread.sleep(beatIntervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void setBusy(boolean nowBusy) {
        synchronized (slot) {
            busy = nowBusy;
            if (nowBusy) slot.busy(System.nanoTime());
            else slot.idle(System.nanoTime());
        }
    }

    private boolean masterGone() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != masterPid;
    }

    /** With no master left to enforce the graceful timeout, the worker enforces its own. */
    private static void exitSoon(int seconds) {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                TimeUnit.SECONDS.sleep(seconds);
            } catch (InterruptedException ignored) {
                // exit now
            }
            Runtime.getRuntime().halt(0);
        });
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
