package io.jcorn.master;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** waitpid statuses: exit code in bits 8-15, terminating signal in bits 0-6, core dump flag in bit 7. */
class ExitStatusTest {

    @ParameterizedTest(name = "status {0} is exit code {1}")
    @CsvSource({
            "0x0000, 0",
            "0x0100, 1",
            "0x0300, 3",   // EXIT_WORKER_BOOT_ERROR
            "0x0400, 4",   // EXIT_APP_LOAD_ERROR
            "0x8F00, 143", // a JVM that ran its shutdown hooks on SIGTERM exits with 128+15
            "0xFF00, 255",
    })
    void exited(String status, int code) {
        ExitStatus exit = ExitStatus.fromWaitStatus(Integer.decode(status));
        assertEquals(new ExitStatus(code, 0), exit);
        assertFalse(exit.signaled());
        assertEquals("exit code " + code, exit.toString());
    }

    @ParameterizedTest(name = "status {0} is {2}")
    @CsvSource({
            "0x0009, 9, killed by SIGKILL",
            "0x000F, 15, killed by SIGTERM",
            "0x0001, 1, killed by SIGHUP",
            "0x0002, 2, killed by SIGINT",
            "0x0003, 3, killed by SIGQUIT",
            "0x0006, 6, killed by SIGABRT",
            "0x000B, 11, killed by SIGSEGV",
            "0x000A, 10, killed by signal 10",
            "0x0086, 6, killed by SIGABRT",   // core dumped
            "0x008B, 11, killed by SIGSEGV",  // core dumped
            "143, 15, killed by SIGTERM",      // 143 as a raw status: SIGTERM with the core flag
    })
    void killed(String status, int signal, String text) {
        ExitStatus exit = ExitStatus.fromWaitStatus(Integer.decode(status));
        assertEquals(new ExitStatus(-1, signal), exit);
        assertTrue(exit.signaled());
        assertEquals(text, exit.toString());
    }
}
