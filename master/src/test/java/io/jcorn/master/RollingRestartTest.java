package io.jcorn.master;

import io.jcorn.protocol.HeartbeatSlot;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollingRestartTest {
    private final List<WorkerProcess> stopped = new ArrayList<>();
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final RollingRestart rolling = new RollingRestart((worker, reason) -> {
        assertEquals(WorkerProcess.StopReason.ROLLING_RESTART, reason);
        worker.stopping(reason, 0);
        stopped.add(worker);
    });
    private long nextPid = 100;

    @Test
    void oneNumberAtATimeIsReleasedAndItsOldWorkerStopsOnlyOnceTheNewOneServes() throws Exception {
        List<WorkerProcess> old = List.of(serving(0, 0), serving(1, 0), serving(2, 0));
        rolling.start(old, 1);
        assertTrue(rolling.running());
        assertEquals(List.of(false, true, true), held(3));

        WorkerProcess booting = worker(0, 1);
        rolling.advance(workers, 1);
        assertEquals(List.of(), stopped, "the replacement does not serve yet");

        announce(booting);
        rolling.advance(workers, 1);
        assertEquals(List.of(old.get(0)), stopped);
        assertEquals(List.of(false, false, true), held(3));

        announce(worker(1, 1));
        rolling.advance(workers, 1);
        announce(worker(2, 1));
        rolling.advance(workers, 1);
        assertEquals(old, stopped);
        assertFalse(rolling.running());
        assertEquals(List.of(false, false, false), held(3));
    }

    @Test
    void anOldWorkerThatDiedMeanwhileIsSkipped() throws Exception {
        List<WorkerProcess> old = List.of(serving(0, 0), serving(1, 0));
        rolling.start(old, 1);
        old.get(1).stopping(WorkerProcess.StopReason.SHUTDOWN, 0);
        assertFalse(rolling.holds(1), "its number may be started at once");
        announce(worker(0, 1));
        rolling.advance(workers, 1);
        assertEquals(List.of(old.get(0)), stopped);
        assertFalse(rolling.running());
    }

    @Test
    void aHaltKeepsTheRemainingNumbersHeldAndAReloadEndsIt() throws Exception {
        rolling.start(List.of(serving(0, 0), serving(1, 0)), 1);
        rolling.halt();
        assertFalse(rolling.running());
        assertEquals(List.of(true, true), held(2), "the worker in turn serves on as well");
        rolling.advance(workers, 2);
        assertEquals(List.of(false, false), held(2));
        assertEquals(List.of(), stopped);
    }

    private List<Boolean> held(int count) {
        List<Boolean> held = new ArrayList<>();
        for (int number = 0; number < count; number++) held.add(rolling.holds(number));
        return held;
    }

    private WorkerProcess serving(int number, int generation) throws Exception {
        return announce(worker(number, generation));
    }

    private WorkerProcess worker(int number, int generation) throws Exception {
        Path file = Files.createTempFile("jcorn-slot", null);
        file.toFile().deleteOnExit();
        Files.write(file, new byte[HeartbeatSlot.SIZE]);
        WorkerProcess worker = new WorkerProcess(nextPid++, number, generation, HeartbeatSlot.map(file), 0);
        workers.add(worker);
        return worker;
    }

    private static WorkerProcess announce(WorkerProcess worker) {
        worker.slot.idle(1);
        assertTrue(worker.newlyBooted());
        return worker;
    }
}
