package io.jcorn.worker;

import io.jcorn.protocol.WorkerClass;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Which threads run a worker's connections: what tells the worker classes apart. Accepting stays
 * on the worker's platform threads (one per listener) in every class; before each accept, the
 * acceptor waits for {@link #awaitRoom room}, so a worker that is full leaves new connections in
 * the kernel's queue, where a worker with room takes them (fair load across workers).
 */
sealed interface ConnectionThreads permits AcceptingThread, ThreadPool, VirtualThreads {

    static ConnectionThreads of(WorkerClass workerClass, HttpHandler handler, Connections connections) {
        return switch (workerClass.kind()) {
            case SYNC -> new AcceptingThread(handler);
            case GTHREAD -> new ThreadPool(handler, connections, workerClass.threads(), workerClass.connections());
            case VIRTUAL -> new VirtualThreads(handler, workerClass.connections());
        };
    }

    /** Waits up to {@code millis} for room for one more connection and takes it; false if there is none. */
    boolean awaitRoom(long millis) throws InterruptedException;

    /** Gives back room taken by {@link #awaitRoom} when no connection came. */
    void returnRoom();

    /** Runs an accepted connection, in the room taken for it. */
    void run(SocketChannel client) throws IOException;

    /** After the last accept: returns once every connection is closed (idle ones end as {@link Connections} says). */
    void finish() throws InterruptedException;
}
