package io.jcorn.protocol;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One worker's page of shared memory, written by the worker and read by the master.
 *
 * <p>The master creates a memfd per worker, maps it, and passes the descriptor to the worker,
 * which maps the same page through {@code /proc/self/fd/N}. A beat is one ordered store of
 * {@link System#nanoTime()} (CLOCK_MONOTONIC, comparable across processes): no system call, no
 * file descriptor traffic. Layout (native byte order):
 * <pre>
 *   0  long  last beat, System.nanoTime() of the worker; 0 until the worker has booted
 *   8  long  state: 0 booting, 1 idle, 2 busy
 *  16  long  requests served
 *  24  long  System.nanoTime() when the current request started; 0 when idle
 *  32  long  why the worker is leaving on its own: 0 it is not, 1 recycled after --max-requests
 *  40  long  what the master asks of the worker with its next TERM: 0 just stop, 1 drain the accept queue first
 *  64  ...   a UTF-8 message, NUL-terminated: why the worker failed to boot
 *  4096 ...   the {@link WorkerScore}: what the worker served, for the scoreboard and metrics
 * </pre>
 */
public final class HeartbeatSlot {
    /** Bytes per slot. */
    public static final int SIZE = 12288;
    private static final int MESSAGE_END = 4096;

    public static final long BOOTING = 0, IDLE = 1, BUSY = 2;
    /** {@link #leaving()}: the worker is not leaving; it served its --max-requests. */
    public static final long STAYING = 0, RECYCLED = 1;

    private static final int BEAT = 0, STATE = 8, REQUESTS = 16, REQUEST_START = 24, LEAVING = 32, ASKED = 40;
    /** {@link #asked()}: stop; or serve what waits in the accept queue, then stop (the whole server stops). */
    public static final long JUST_STOP = 0, DRAIN = 1;
    private static final int MESSAGE = 64;
    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer page;
    private final WorkerScore score;

    private HeartbeatSlot(MappedByteBuffer page) {
        this.page = page;
        this.score = new WorkerScore(page);
    }

    /** What the worker has served and is serving. */
    public WorkerScore score() {
        return score;
    }

    /** Maps the slot file at {@code path} (for a descriptor: {@code /proc/self/fd/N}). */
    public static HeartbeatSlot map(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new HeartbeatSlot(file.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
        }
    }

    /** The worker is alive and waiting for work. */
    public void idle(long nanoTime) {
        LONG.setRelease(page, REQUEST_START, 0L);
        LONG.setRelease(page, STATE, IDLE);
        LONG.setRelease(page, BEAT, nanoTime);
    }

    /** The worker has taken a request; it will not beat again until the request is done. */
    public void busy(long nanoTime) {
        LONG.setRelease(page, REQUEST_START, nanoTime);
        LONG.setRelease(page, STATE, BUSY);
        LONG.setRelease(page, BEAT, nanoTime);
    }

    /** One more request served. Only the worker's request thread calls this. */
    public void countRequest() {
        LONG.setRelease(page, REQUESTS, (long) LONG.getAcquire(page, REQUESTS) + 1);
    }

    public long lastBeat() {
        return (long) LONG.getAcquire(page, BEAT);
    }

    public long state() {
        return (long) LONG.getAcquire(page, STATE);
    }

    public long requests() {
        return (long) LONG.getAcquire(page, REQUESTS);
    }

    public long requestStart() {
        return (long) LONG.getAcquire(page, REQUEST_START);
    }

    /** The worker says why it is about to exit on its own, before it does. */
    public void leave(long reason) {
        LONG.setRelease(page, LEAVING, reason);
    }

    public long leaving() {
        return (long) LONG.getAcquire(page, LEAVING);
    }

    /** The master says how the worker is to stop, before it sends TERM. */
    public void ask(long request) {
        LONG.setRelease(page, ASKED, request);
    }

    public long asked() {
        return (long) LONG.getAcquire(page, ASKED);
    }

    /** Leaves a message for the master: why this worker cannot boot. */
    public void writeMessage(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MESSAGE_END - MESSAGE - 1);
        page.put(MESSAGE, bytes, 0, length);
        page.put(MESSAGE + length, (byte) 0);
    }

    /** The message the worker left, or "" if none. */
    public String readMessage() {
        int end = MESSAGE;
        while (end < MESSAGE_END && page.get(end) != 0) end++;
        byte[] bytes = new byte[end - MESSAGE];
        page.get(MESSAGE, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
