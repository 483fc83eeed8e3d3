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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A worker's life: accept on the inherited sockets, hand each connection to the worker class's
 * {@link ConnectionThreads}, beat while the worker makes progress, and stop when told to or when
 * the master is gone.
 *
 * <p>Each listener has its own platform thread blocked in {@code accept()}: the kernel then wakes
 * one waiting worker per connection, and a platform thread never flips the shared socket to
 * non-blocking mode (a virtual thread would, for the master and every worker). An acceptor waits
 * for room before it accepts, so a full worker leaves connections to the others.
 */
final class Worker {
    private static final List<ServerSocketChannel> DRAINING = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final long ROOM_WAIT_MILLIS = 100;
    // A worker that stays full this long leaves the rest of the queue to the others.
    private static final long DRAIN_ROOM_WAIT_MILLIS = 5000;

    private final List<ServerSocketChannel> listeners;
    private final List<WorkerContract.Listener> descriptors;
    private final HeartbeatSlot slot;
    private final long masterPid;
    private final long beatIntervalMillis;
    private ConnectionThreads threads;
    private Connections connections;
    private InFlight inFlight;
    private volatile boolean stopping;
    /** Counted down once a stop has closed the listeners (after serving the accept queues, on a full stop). */
    private final CountDownLatch listenersClosed = new CountDownLatch(1);

    Worker(List<ServerSocketChannel> listeners, List<WorkerContract.Listener> descriptors, HeartbeatSlot slot,
           long masterPid, int timeoutSeconds) {
        this.listeners = listeners;
        this.descriptors = descriptors;
        this.slot = slot;
        this.masterPid = masterPid;
        this.beatIntervalMillis = Math.clamp(timeoutSeconds * 1000L / 4, 50, 500);
    }

    /** The requests in hand; {@code --max-requests} makes the worker leave gracefully. */
    InFlight inFlight(long maxRequests, int requestTimeoutSeconds) {
        inFlight = new InFlight(slot::countRequest, maxRequests, this::recycle, requestTimeoutSeconds, this::beat);
        return inFlight;
    }

    /** Serves until {@link #stop()}; returns once the last connection is closed. */
    void run(ConnectionThreads threads, Connections connections) throws InterruptedException {
        this.threads = threads;
        this.connections = connections;
        List<Thread> acceptors = new ArrayList<>();
        for (ServerSocketChannel listener : listeners) {
            acceptors.add(Thread.ofPlatform().name("jcorn-accept-" + acceptors.size())
                    .start(() -> acceptLoop(listener)));
        }
        Thread.ofPlatform().daemon().name("jcorn-heartbeat").start(this::heartbeatLoop);
        for (Thread acceptor : acceptors) acceptor.join();
        // a full stop's drain may still be serving what it took from the queues (a sync worker serves on that thread)
        if (stopping) listenersClosed.await();
        threads.finish();
    }

    private void acceptLoop(ServerSocketChannel listener) {
        while (!stopping) {
            try {
                if (!threads.awaitRoom(ROOM_WAIT_MILLIS)) continue;
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (ClosedChannelException e) {
                threads.returnRoom();
                return;
            } catch (IOException e) {
                threads.returnRoom();
                if (stopping) return;
                Log.warning("accept failed: " + e.getMessage());
                pause();
                continue;
            }
            handOver(client);
        }
    }

    private void handOver(SocketChannel client) {
        try {
            threads.run(client);
        } catch (IOException | RuntimeException e) {
            Log.debug("dropping a new connection: " + e);
            threads.returnRoom();
            try {
                client.close();
            } catch (IOException ignored) {
                // it is gone either way
            }
        }
    }

    /**
     * Graceful stop: accept nothing more, answer what arrives on the connections already open (with
     * "close"; idle ones end as {@link Connections} says), finish the requests in hand. When the whole server stops
     * (the master says so in the slot), first serve the connections already waiting in the
     * kernel's accept queue: they were made before the stop, and closing would reset them.
     */
    void stop() {
        if (stopping) return;
        stopping = true;
        if (connections != null) connections.stop();
        if (slot.asked() == HeartbeatSlot.DRAIN) {
            Thread.ofPlatform().name("jcorn-drain").start(() -> {
                try {
                    drainAcceptQueues();
                    closeListeners();
                } finally {
                    listenersClosed.countDown();
                }
            });
        } else {
            closeListeners();
            listenersClosed.countDown();
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
                while (threads.awaitRoom(DRAIN_ROOM_WAIT_MILLIS)) {
                    SocketChannel client = queue.accept();
                    if (client == null) {
                        threads.returnRoom();
                        break;
                    }
                    client.configureBlocking(true);
                    handOver(client);
                }
            } catch (InterruptedException e) {
                return;
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
        Log.info("Autorestarting worker after current request (" + slot.requests() + " requests served)");
        slot.leave(HeartbeatSlot.RECYCLED);
        stop();
    }

    boolean stopping() {
        return stopping;
    }

    // The beat tells the master the worker makes progress, whatever its class: idle, or a request
    // began or ended lately. A worker whose requests all hang (every thread of a gthread worker, the
    // one of a sync worker) stops beating and is killed after --timeout; one hung request among
    // others that flow is --request-timeout's to end.
    private void heartbeatLoop() {
        while (true) {
            beat(System.nanoTime());
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

    // Also called as the worker turns busy or idle (with the time the request began or ended), so
    // the slot's state follows at once; the lock keeps a beat computed from an older count from
    // landing after a newer one.
    private synchronized void beat(long now) {
        int inHand = inFlight.count();
        if (inHand == 0) slot.idle(now);
        else slot.busy(inFlight.lastProgress(), inFlight.busySince());
        slot.inFlight(inHand);
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
