package io.jcorn.worker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** {@code --worker-connections}: the connections a worker may have open at once. */
final class ConnectionCap {
    private final int cap;
    private final Semaphore room;

    ConnectionCap(int cap) {
        this.cap = cap;
        this.room = new Semaphore(cap);
    }

    /** Takes room for one connection, waiting up to {@code millis}; false if there is none. */
    boolean take(long millis) throws InterruptedException {
        return room.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** A connection closed (or none came for the room taken). */
    void giveBack() {
        room.release();
    }

    /** Returns once every connection is closed. */
    void awaitAllClosed() throws InterruptedException {
        room.acquire(cap);
    }
}
