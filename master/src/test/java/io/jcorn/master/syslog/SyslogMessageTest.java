package io.jcorn.master.syslog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyslogMessageTest {
    private static String text(byte[] message) {
        return new String(message, StandardCharsets.UTF_8);
    }

    @Test
    void aLineIsPriorityTagPidMessageAndNul() {
        byte[] message = SyslogMessage.format(SyslogMessage.facility("user"), SyslogMessage.Severity.ERROR,
                SyslogMessage.tag(null, "com.example.App", "error"), 4242, "Worker (pid:17) was sent SIGKILL!");
        assertEquals("<11>jcorn.com.example.App.error: [4242] Worker (pid:17) was sent SIGKILL!\0", text(message));
    }

    @Test
    void priorityIsTheFacilityTimesEightPlusTheSeverity() {
        assertEquals("<190>t: [1] m\0", text(SyslogMessage.format(SyslogMessage.facility("LOCAL7"), SyslogMessage.Severity.INFO, "t", 1, "m")));
        assertEquals("<31>t: [1] m\0", text(SyslogMessage.format(SyslogMessage.facility("daemon"), SyslogMessage.Severity.DEBUG, "t", 1, "m")));
        assertEquals("<2>t: [1] m\0", text(SyslogMessage.format(SyslogMessage.facility("kern"), SyslogMessage.Severity.CRITICAL, "t", 1, "m")));
        assertEquals("<36>t: [1] m\0", text(SyslogMessage.format(SyslogMessage.facility("security"), SyslogMessage.Severity.WARNING, "t", 1, "m")));
    }

    @Test
    void theTagIsThePrefixOrTheProcessNameWithColonsAsDots() {
        assertEquals("jcorn.myapp.access", SyslogMessage.tag("myapp", "ignored", "access"));
        assertEquals("jcorn.app.wsgi..make_app.error", SyslogMessage.tag(null, "app.wsgi::make_app", "error"));
        assertEquals("jcorn.pkg.Main.error", SyslogMessage.tag("", "pkg.Main", "error"));
    }

    @Test
    void levelsAsLogbackAndTheWorkersNameThem() {
        assertEquals(SyslogMessage.Severity.WARNING, SyslogMessage.Severity.of("WARN"));
        assertEquals(SyslogMessage.Severity.WARNING, SyslogMessage.Severity.of("WARNING"));
        assertEquals(SyslogMessage.Severity.DEBUG, SyslogMessage.Severity.of("TRACE"));
        assertEquals(SyslogMessage.Severity.INFO, SyslogMessage.Severity.of("anything"));
    }

    @Test
    void anUnknownFacilityIsRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyslogMessage.facility("local8"));
        assertTrue(e.getMessage().startsWith("--syslog-facility local8: unknown facility name (one of auth, authpriv, cron,"), e.getMessage());
    }

    @Test
    void textIsUtf8() {
        assertEquals("<14>t: [1] caf\u00e9\0", text(SyslogMessage.format(1, SyslogMessage.Severity.INFO, "t", 1, "caf\u00e9")));
    }

    @Test
    void workerLinesAreReadBackWithTheirPidAndLevel() {
        assertEquals(new WorkerLogLine(31337, SyslogMessage.Severity.WARNING, "Worker timeout: 30s"),
                WorkerLogLine.parse("[2025-01-02 03:04:05 +0000] [31337] [WARNING] Worker timeout: 30s"));
        assertEquals(new WorkerLogLine(7, SyslogMessage.Severity.ERROR, "Error handling request\njava.lang.IllegalStateException: x"),
                WorkerLogLine.parse("[2025-01-02 03:04:05 +0100] [7] [ERROR] Error handling request\njava.lang.IllegalStateException: x"));
        assertEquals(null, WorkerLogLine.parse("Full thread dump OpenJDK 64-Bit Server VM"));
        assertEquals(null, WorkerLogLine.parse("[2025-01-02] [x] [INFO] not a pid"));
    }
}
