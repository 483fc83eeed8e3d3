package io.jcorn.protocol;

import io.jcorn.protocol.WorkerContract.Family;
import io.jcorn.protocol.WorkerContract.Listener;
import io.jcorn.protocol.http.ParserOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerContractTest {

    private static final WorkerContract CONTRACT = new WorkerContract(
            List.of(new Listener(3, Family.INET), new Listener(4, Family.INET6), new Listener(5, Family.UNIX)),
            6, 4242L, 2, "com.example.Hello::APP", "/srv/app/classes:/srv/app/lib/*", 30, "debug", 1000, "/var/log/jcorn/error.log");

    private static Map<String, String> environment() {
        return new HashMap<>(CONTRACT.toEnvironment());
    }

    @Test
    void roundTripsThroughTheEnvironment() {
        assertEquals(CONTRACT, WorkerContract.fromEnvironment(CONTRACT.toEnvironment()));
    }

    @Test
    void environmentUsesTheDocumentedVariables() {
        assertEquals(Map.ofEntries(
                Map.entry("JCORN_LISTEN_FDS", "3:inet,4:inet6,5:unix"),
                Map.entry("JCORN_HEARTBEAT_FD", "6"),
                Map.entry("JCORN_MASTER_PID", "4242"),
                Map.entry("JCORN_WORKER_ID", "2"),
                Map.entry("JCORN_APP", "com.example.Hello::APP"),
                Map.entry("JCORN_APP_CLASSPATH", "/srv/app/classes:/srv/app/lib/*"),
                Map.entry("JCORN_TIMEOUT", "30"),
                Map.entry("JCORN_LOG_LEVEL", "debug"),
                Map.entry("JCORN_MAX_REQUESTS", "1000"),
                Map.entry("JCORN_ERROR_LOGFILE", "/var/log/jcorn/error.log"),
                Map.entry("JCORN_LIMIT_REQUEST_LINE", "4094"),
                Map.entry("JCORN_LIMIT_REQUEST_FIELDS", "100"),
                Map.entry("JCORN_LIMIT_REQUEST_FIELD_SIZE", "8190"),
                Map.entry("JCORN_PERMIT_UNCONVENTIONAL_HTTP_METHOD", "false"),
                Map.entry("JCORN_CASEFOLD_HTTP_METHOD", "false"),
                Map.entry("JCORN_PERMIT_OBSOLETE_FOLDING", "false"),
                Map.entry("JCORN_HEADER_MAP", "drop"),
                Map.entry("JCORN_STRIP_HEADER_SPACES", "false"),
                Map.entry("JCORN_KEEP_ALIVE", "2"),
                Map.entry("JCORN_GRACEFUL_TIMEOUT", "30"),
                Map.entry("JCORN_WORKER_CLASS", "sync"),
                Map.entry("JCORN_THREADS", "1"),
                Map.entry("JCORN_WORKER_CONNECTIONS", "1"),
                Map.entry("JCORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
                Map.entry("JCORN_SECURE_SCHEME_HEADERS", "X-FORWARDED-PROTOCOL=ssl,X-FORWARDED-PROTO=https,X-FORWARDED-SSL=on"),
                Map.entry("JCORN_PROXY_PROTOCOL", "off"),
                Map.entry("JCORN_PROXY_ALLOW_FROM", "127.0.0.1,::1"),
                Map.entry("JCORN_ACCESS_LOGFILE", ""),
                Map.entry("JCORN_ACCESS_LOGFORMAT", AccessLogFormat.DEFAULT),
                Map.entry("JCORN_REQUEST_TIMEOUT", "0"),
                Map.entry("JCORN_HEADER_READ_TIMEOUT", "10"),
                Map.entry("JCORN_BODY_READ_TIMEOUT", "30")),
                CONTRACT.toEnvironment());
    }

    @Test
    void parserOptionsRoundTrip() {
        WorkerContract strict = new WorkerContract(CONTRACT.listeners(), 6, 1L, 0, "a.B", "", 30, "info", 0, "-",
                new ParserOptions(0, 7, 123, true, true, true, ParserOptions.HeaderMap.DANGEROUS, true), 5, 12,
                new WorkerClass(WorkerClass.Kind.GTHREAD, 8, 500), "*", "X-Scheme=https", "auto", "*",
                "/var/log/access.log", "%(h)s %(s)s", new Timeouts(7, 3, 4));
        assertEquals(strict, WorkerContract.fromEnvironment(strict.toEnvironment()));
    }

    @Test
    void missingParserVariablesMeanGunicornsDefaults() {
        Map<String, String> env = environment();
        env.keySet().removeIf(k -> k.startsWith("JCORN_LIMIT_") || k.contains("HTTP_METHOD")
                || k.equals("JCORN_PERMIT_OBSOLETE_FOLDING") || k.equals("JCORN_HEADER_MAP")
                || k.equals("JCORN_STRIP_HEADER_SPACES"));
        assertEquals(ParserOptions.DEFAULT, WorkerContract.fromEnvironment(env).parser());
    }

    @Test
    void malformedParserVariableIsNamed() {
        Map<String, String> env = environment();
        env.put("JCORN_HEADER_MAP", "maybe");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerContract.fromEnvironment(env));
        assertTrue(e.getMessage().contains("JCORN_HEADER_MAP"), e.getMessage());
    }

    @Test
    void oneListenerRoundTrips() {
        WorkerContract one = new WorkerContract(List.of(new Listener(3, Family.UNIX)), 4, 1L, 0,
                "a.B", "", 30, "info", 0, "-");
        assertEquals(one, WorkerContract.fromEnvironment(one.toEnvironment()));
    }

    @Test
    void emptyClasspathRoundTrips() {
        WorkerContract noClasspath = new WorkerContract(CONTRACT.listeners(), 6, 1L, 0, "a.B", "", 30, "info", 0, "-");
        assertEquals("", WorkerContract.fromEnvironment(noClasspath.toEnvironment()).appClasspath());
    }

    @Test
    void optionalVariablesHaveDefaults() {
        Map<String, String> env = environment();
        env.remove(WorkerContract.APP_CLASSPATH);
        env.remove(WorkerContract.LOG_LEVEL);
        WorkerContract contract = WorkerContract.fromEnvironment(env);
        assertEquals("", contract.appClasspath());
        assertEquals("info", contract.logLevel());
    }

    @Test
    void otherVariablesAreIgnored() {
        Map<String, String> env = environment();
        env.put("PATH", "/usr/bin");
        env.put("JCORN_SOMETHING_NEW", "x");
        assertEquals(CONTRACT, WorkerContract.fromEnvironment(env));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JCORN_LISTEN_FDS", "JCORN_HEARTBEAT_FD", "JCORN_MASTER_PID", "JCORN_WORKER_ID",
            "JCORN_APP", "JCORN_TIMEOUT"})
    void missingRequiredVariableIsNamed(String name) {
        Map<String, String> env = environment();
        env.remove(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerContract.fromEnvironment(env));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JCORN_LISTEN_FDS", "JCORN_HEARTBEAT_FD", "JCORN_APP", "JCORN_TIMEOUT"})
    void emptyRequiredVariableIsNamed(String name) {
        Map<String, String> env = environment();
        env.put(name, "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerContract.fromEnvironment(env));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "JCORN_LISTEN_FDS   | 3",
            "JCORN_LISTEN_FDS   | x:inet",
            "JCORN_LISTEN_FDS   | 3:ipx",
            "JCORN_HEARTBEAT_FD | six",
            "JCORN_MASTER_PID   | 12ab",
            "JCORN_WORKER_ID    | -",
            "JCORN_TIMEOUT      | 30s",
    })
    void malformedVariableIsNamed(String name, String value) {
        Map<String, String> env = environment();
        env.put(name, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerContract.fromEnvironment(env));
        assertTrue(e.getMessage() != null && e.getMessage().contains(name),
                "the message should name " + name + ": " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"3:inet, 3, INET", "10:inet6, 10, INET6", "7:UNIX, 7, UNIX"})
    void listenerParsesFdAndFamily(String text, int fd, Family family) {
        assertEquals(new Listener(fd, family), Listener.parse(text));
    }

    @Test
    void listenerPrintsAsItIsParsed() {
        for (Family family : Family.values()) {
            Listener listener = new Listener(9, family);
            assertEquals(listener, Listener.parse(listener.toString()));
            assertFalse(listener.toString().chars().anyMatch(Character::isUpperCase), listener.toString());
        }
    }

    @Test
    void exitCodesAndFirstDescriptorAreFixed() {
        assertEquals(3, WorkerContract.EXIT_WORKER_BOOT_ERROR);
        assertEquals(4, WorkerContract.EXIT_APP_LOAD_ERROR);
        assertEquals(3, WorkerContract.FIRST_LISTENER_FD);
    }
}
