package io.jcorn.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WorkerScoreTest {
    @TempDir
    Path dir;

    @Test
    void theMasterSeesTheRequestInHandThenItsCounts() throws IOException {
        Path file = dir.resolve("slot");
        java.nio.file.Files.createFile(file);
        WorkerScore worker = HeartbeatSlot.map(file).score();
        WorkerScore master = HeartbeatSlot.map(file).score();
        assertNull(master.current());

        long started = worker.begin("GET", "/slow?seconds=5");
        assertEquals(new WorkerScore.Current("GET /slow?seconds=5", started), master.current());

        worker.end(started, 200, 12);
        assertNull(master.current());
        WorkerScore.Totals totals = master.totals();
        assertEquals(1, totals.requests());
        assertEquals(12, totals.bytes());
        assertEquals(1, totals.status(200));
        assertEquals(1, java.util.Arrays.stream(totals.histogram()).sum());
    }

    @Test
    void longTargetsAreTruncated() {
        WorkerScore score = WorkerScore.unshared();
        score.begin("GET", "/" + "x".repeat(500));
        assertEquals(128, score.current().request().length());
    }

    @Test
    void durationsFallInTheirBucket() {
        assertEquals(0, WorkerScore.bucket(1_000_000));
        assertEquals(0, WorkerScore.bucket(5_000_000));
        assertEquals(1, WorkerScore.bucket(5_000_001));
        assertEquals(WorkerScore.BUCKETS.length, WorkerScore.bucket(60_000_000_000L));
    }

    @Test
    void totalsAdd() {
        WorkerScore a = WorkerScore.unshared(), b = WorkerScore.unshared();
        a.end(a.begin("GET", "/"), 200, 1);
        b.end(b.begin("GET", "/"), 404, 2);
        WorkerScore.Totals sum = a.totals().plus(b.totals()).plus(WorkerScore.Totals.NONE);
        assertEquals(2, sum.requests());
        assertEquals(3, sum.bytes());
        assertEquals(1, sum.status(404));
    }
}
