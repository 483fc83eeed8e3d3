package io.jcorn.master;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded load on loopback for the "nothing lost" promises: clients send requests in a loop until
 * stopped (or a hard cap on time and count) and count every outcome by kind.
 */
final class Load implements AutoCloseable {
    /** RESET: any other failure on the wire; CLOSED: the connection ended before the answer. */
    enum Outcome { OK, NON_2XX, REFUSED, RESET, CLOSED, TIMEOUT, OTHER }

    private static final long MAX_REQUESTS_PER_CLIENT = 100_000;
    private static final long MAX_SECONDS = 120;

    private final Map<Outcome, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;
    private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);

    private Load(int concurrency) {
        clients = Executors.newFixedThreadPool(concurrency);
    }

    /** Starts {@code concurrency} clients sending GET {@code path} to {@code address}. */
    static Load start(String address, String path, int concurrency) {
        Load load = new Load(concurrency);
        for (int i = 0; i < concurrency; i++) load.clients.submit(() -> load.loop(address, path));
        return load;
    }

    /**
     * Starts {@code concurrency} clients that each keep a connection and send GET {@code path} on
     * it, one request at a time, without retrying a failed one (see {@link KeepAliveClient}).
     */
    static Load keepAlive(String address, String path, int concurrency) {
        Load load = new Load(concurrency);
        for (int i = 0; i < concurrency; i++) load.clients.submit(() -> load.keepAliveLoop(address, path));
        return load;
    }

    private void loop(String address, String path) {
        for (long n = 0; running.get() && n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline; n++) {
            record(once(() -> Http.get(address, path).status()));
        }
    }

    private void keepAliveLoop(String address, String path) {
        try (KeepAliveClient client = new KeepAliveClient(address, path)) {
            for (long n = 0; running.get() && n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline; n++) {
                Outcome outcome = once(client::get);
                record(outcome);
                if (outcome != Outcome.OK && outcome != Outcome.NON_2XX) client.close();
            }
        } catch (IOException e) {
            record(Outcome.OTHER);
        }
    }

    private interface Exchange {
        int status() throws IOException;
    }

    private static Outcome once(Exchange exchange) {
        try {
            return exchange.status() / 100 == 2 ? Outcome.OK : Outcome.NON_2XX;
        } catch (ConnectException e) {
            return Outcome.REFUSED;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMEOUT;
        } catch (java.io.EOFException e) {
            return Outcome.CLOSED;
        } catch (IOException e) {
            return Outcome.RESET;
        } catch (RuntimeException e) {
            return Outcome.OTHER;
        }
    }

    private void record(Outcome outcome) {
        counts.computeIfAbsent(outcome, o -> new LongAdder()).increment();
    }

    long count(Outcome outcome) {
        LongAdder adder = counts.get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    long failures() {
        long failed = 0;
        for (Outcome outcome : Outcome.values()) if (outcome != Outcome.OK) failed += count(outcome);
        return failed;
    }

    /** Stops the clients and waits for their last requests. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
