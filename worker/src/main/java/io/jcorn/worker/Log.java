package io.jcorn.worker;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The worker's log: Gunicorn's line shape, {@code [time] [pid] [LEVEL] message}, on stderr (which
 * the worker shares with the master). A logging framework would cost the worker boot time and
 * memory for what is one line format.
 */
final class Log {
    enum Level { DEBUG, INFO, WARNING, ERROR, CRITICAL }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");
    private static final long PID = ProcessHandle.current().pid();
    private static volatile Level threshold = Level.INFO;
    private static final PrintStream OUT = System.err;

    private Log() {}

    static void setLevel(String name) {
        threshold = switch (name.toLowerCase()) {
            case "debug" -> Level.DEBUG;
            case "warning", "warn" -> Level.WARNING;
            case "error" -> Level.ERROR;
            case "critical" -> Level.CRITICAL;
            default -> Level.INFO;
        };
    }

    static boolean debugEnabled() {
        return threshold == Level.DEBUG;
    }

    static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    static void info(String message) {
        log(Level.INFO, message, null);
    }

    static void warning(String message) {
        log(Level.WARNING, message, null);
    }

    static void error(String message, Throwable cause) {
        log(Level.ERROR, message, cause);
    }

    private static void log(Level level, String message, Throwable cause) {
        if (level.compareTo(threshold) < 0) return;
        StringBuilder line = new StringBuilder(96 + message.length())
                .append('[').append(TIME.format(ZonedDateTime.now())).append("] [").append(PID).append("] [")
                .append(level).append("] ").append(message).append('\n');
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        synchronized (OUT) {
            OUT.print(line);
            OUT.flush();
        }
    }
}
