package io.jcorn.worker;

import io.jcorn.protocol.http.RequestHead;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The requests a worker has in hand, whatever thread serves them: how many, since when the worker
 * is busy, when it last made progress (a request began or ended; the heartbeat reports that, so a
 * worker whose requests all hang stops beating), the count for {@code --max-requests}, and
 * {@code --request-timeout}, enforced by a watchdog thread.
 */
final class InFlight {
    private final Runnable countServed;
    private final LongConsumer busyOrIdle;
    private final long maxRequests;
    private final Runnable onMaxRequests;
    private final long timeoutNanos;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final Set<Request> timed = ConcurrentHashMap.newKeySet();
    private final DateHeader date = new DateHeader();
    private volatile long lastProgress;
    private volatile long busySince;

    /** One request in hand. */
    static final class Request {
        private final Connection connection;
        private final ResponseWriter response;
        private final RequestHead head;
        private final Thread thread = Thread.currentThread();
        private final long start;
        private boolean ended, expired;

        private Request(Connection connection, ResponseWriter response, RequestHead head, long start) {
            this.connection = connection;
            this.response = response;
            this.head = head;
            this.start = start;
        }
    }

    /**
     * @param countServed   called as each request ends (the heartbeat slot's count)
     * @param onMaxRequests called once, when the {@code maxRequests}-th request ends (0: never)
     * @param busyOrIdle    called as the worker turns busy (a first request in hand) or idle (none left), with the time
     */
    InFlight(Runnable countServed, long maxRequests, Runnable onMaxRequests, int requestTimeoutSeconds,
             LongConsumer busyOrIdle) {
        this.countServed = countServed;
        this.busyOrIdle = busyOrIdle;
        this.maxRequests = maxRequests;
        this.onMaxRequests = onMaxRequests;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(requestTimeoutSeconds);
        if (requestTimeoutSeconds > 0) {
            long every = Math.clamp(requestTimeoutSeconds * 1000L / 10, 50, 1000);
            Thread.ofPlatform().daemon().name("jcorn-request-timeout").start(() -> watch(every));
        }
    }

    /** A request's head arrived on this thread at {@code started} (System.nanoTime()); the app is about to be called. */
    Request begin(Connection connection, ResponseWriter response, RequestHead head, long started) {
        Request request = new Request(connection, response, head, started);
        lastProgress = started;
        if (count.getAndIncrement() == 0) {
            busySince = started;
            busyOrIdle.accept(started);
        }
        if (timeoutNanos > 0) timed.add(request);
        return request;
    }

    /** The request is answered (or abandoned). */
    void end(Request request) {
        if (timeoutNanos > 0) {
            timed.remove(request);
            synchronized (request) {
                request.ended = true;
                // the watchdog's interrupt is for the request, not for what this thread does next
                if (request.expired) Thread.interrupted();
            }
        }
        long now = System.nanoTime();
        lastProgress = now;
        if (count.decrementAndGet() == 0) {
            busySince = 0;
            busyOrIdle.accept(now);
        }
        countServed.run();
        if (maxRequests > 0 && served.incrementAndGet() == maxRequests) onMaxRequests.run();
    }

    int count() {
        return count.get();
    }

    /** When the last request began or ended. */
    long lastProgress() {
        return lastProgress;
    }

    /** Since when requests have been in hand without a break; 0 when none is. */
    long busySince() {
        return busySince;
    }

    private void watch(long everyMillis) {
        while (true) {
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Request request : timed) {
                if (now - request.start > timeoutNanos && timed.remove(request)) expire(request);
            }
        }
    }

    // A 503 if the app sent nothing yet, else the connection closes mid-response; either way the
    // client knows, and the thread is interrupted so an app waiting in sleep, I/O or a lock lets go.
    private void expire(Request request) {
        synchronized (request) {
            if (request.ended) return;
            request.expired = true;
            boolean answered = false;
            if (request.response.timeOut()) {
                try {
                    ResponseWriter.writeError(request.connection.channel, 503, "Request timed out", date.now());
                    answered = true;
                } catch (java.io.IOException e) {
                    Log.debug("writing a 503 after a request timeout: " + e.getMessage());
                }
            }
            request.connection.close();
            request.thread.interrupt();
            Log.warning("Request timed out after " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: "
                    + request.head.method() + " " + request.head.target() + (answered ? " (answered 503)" : " (connection closed mid-response)"));
        }
    }
}
