package io.jcorn.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What a worker has served, kept in pages two and three of its {@link HeartbeatSlot} for the
 * master's scoreboard, control socket and metrics: the request in hand and since when, requests
 * by duration and by status code, and bytes sent. The worker writes it, the master only reads,
 * and neither takes a lock.
 *
 * <p>Counters are added with atomic adds (a worker with several request threads stays exact) and
 * read one by one: a reader may see a request counted by status before it is counted by duration,
 * never a torn number. The current request line is text, so it is guarded by a sequence number
 * (odd while being written): the reader retries until it reads the same even number before and
 * after the bytes. Layout (native byte order):
 * <pre>
 *  4096  long  sequence number of the current request text
 *  4104  long  System.nanoTime() when the current request started; 0 when none
 *  4112  long  length of the current request text
 *  4120  byte[128]  "METHOD target" of the current request, UTF-8, truncated
 *  4248  long  requests finished
 *  4256  long  sum of their durations, nanoseconds
 *  4264  long  body bytes sent
 *  4272  long[12]  requests by duration, one count per bucket of {@link #BUCKETS} (not cumulative)
 *  8192  long[500] requests by status code 100..599
 * </pre>
 */
public final class WorkerScore {
    /** Upper bounds of the duration buckets, in seconds; the last bucket takes the rest. */
    public static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    public static final int FIRST_STATUS = 100, LAST_STATUS = 599;

    private static final int SEQUENCE = 4096, STARTED = 4104, LENGTH = 4112, TEXT = 4120, TEXT_SIZE = 128;
    private static final int COUNT = 4248, DURATION_SUM = 4256, BYTES = 4264, HISTOGRAM = 4272, STATUS = 8192;
    private static final long[] BUCKET_NANOS = new long[BUCKETS.length];
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static {
        for (int i = 0; i < BUCKETS.length; i++) BUCKET_NANOS[i] = (long) (BUCKETS[i] * 1e9);
    }

    private final ByteBuffer page;

    WorkerScore(ByteBuffer page) {
        this.page = page;
    }

    /** A score kept in this process's memory only: nobody reads it (a training run, a test). */
    public static WorkerScore unshared() {
        return new WorkerScore(ByteBuffer.allocateDirect(HeartbeatSlot.SIZE));
    }

    /** A request starts: its method and target become the current request. Returns the start time. */
    public long begin(String method, String target) {
        long now = System.nanoTime();
        byte[] text = (method + " " + target).getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, TEXT_SIZE);
        long sequence = (long) LONG.getOpaque(page, SEQUENCE);
        LONG.setOpaque(page, SEQUENCE, sequence + 1);
        VarHandle.storeStoreFence();
        page.put(TEXT, text, 0, length);
        LONG.setOpaque(page, LENGTH, (long) length);
        LONG.setOpaque(page, STARTED, now);
        LONG.setRelease(page, SEQUENCE, sequence + 2);
        return now;
    }

    /** The request that began at {@code started} is answered with {@code status} and {@code bytes} of body. */
    public void end(long started, int status, long bytes) {
        long duration = System.nanoTime() - started;
        LONG.compareAndSet(page, STARTED, started, 0L);
        LONG.getAndAdd(page, COUNT, 1L);
        LONG.getAndAdd(page, DURATION_SUM, duration);
        LONG.getAndAdd(page, BYTES, bytes);
        LONG.getAndAdd(page, HISTOGRAM + 8 * bucket(duration), 1L);
        if (status >= FIRST_STATUS && status <= LAST_STATUS) LONG.getAndAdd(page, STATUS + 8 * (status - FIRST_STATUS), 1L);
    }

    static int bucket(long nanos) {
        int i = 0;
        while (i < BUCKET_NANOS.length && nanos > BUCKET_NANOS[i]) i++;
        return i;
    }

    /** The request in hand, or null when the worker is between requests. */
    public Current current() {
        for (int attempt = 0; attempt < 100; attempt++) {
            long before = (long) LONG.getAcquire(page, SEQUENCE);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long started = (long) LONG.getOpaque(page, STARTED);
            int length = (int) Math.clamp((long) LONG.getOpaque(page, LENGTH), 0, TEXT_SIZE);
            byte[] text = new byte[length];
            page.get(TEXT, text);
            VarHandle.loadLoadFence();
            if ((long) LONG.getAcquire(page, SEQUENCE) == before) {
                return started == 0 ? null : new Current(new String(text, StandardCharsets.UTF_8), started);
            }
        }
        return null; // the worker is starting requests faster than we can read one: it is not stuck on any
    }

    /** The request a worker is serving: "METHOD target", and its System.nanoTime() start. */
    public record Current(String request, long startedAt) {}

    /** Everything counted so far, read counter by counter. */
    public Totals totals() {
        long[] histogram = new long[BUCKETS.length + 1];
        for (int i = 0; i < histogram.length; i++) histogram[i] = (long) LONG.getAcquire(page, HISTOGRAM + 8 * i);
        long[] statuses = new long[LAST_STATUS - FIRST_STATUS + 1];
        for (int i = 0; i < statuses.length; i++) statuses[i] = (long) LONG.getAcquire(page, STATUS + 8 * i);
        return new Totals((long) LONG.getAcquire(page, COUNT), (long) LONG.getAcquire(page, DURATION_SUM),
                (long) LONG.getAcquire(page, BYTES), histogram, statuses);
    }

    /**
     * Counts of finished requests.
     *
     * @param histogram per duration bucket, {@link #BUCKETS} then one for the rest
     * @param statuses  per status code, index 0 is {@link #FIRST_STATUS}
     */
    public record Totals(long requests, long durationNanos, long bytes, long[] histogram, long[] statuses) {
        public static final Totals NONE = new Totals(0, 0, 0, new long[BUCKETS.length + 1],
                new long[LAST_STATUS - FIRST_STATUS + 1]);

        public Totals plus(Totals other) {
            long[] h = histogram.clone(), s = statuses.clone();
            for (int i = 0; i < h.length; i++) h[i] += other.histogram[i];
            for (int i = 0; i < s.length; i++) s[i] += other.statuses[i];
            return new Totals(requests + other.requests, durationNanos + other.durationNanos, bytes + other.bytes, h, s);
        }

        public long status(int code) {
            return statuses[code - FIRST_STATUS];
        }
    }
}
